//! Reconciliation: repairing a drifted Redis counter, and giving up on an
//! order queued too long.

use std::time::Duration;

use serde_json::json;

use super::{flash_input, reconcile};
use crate::helpers::{Options, spawn_app, spawn_with};

/// Redis only. Embedded: nothing outside the process can drift the counter.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn reconciliation_repairs_a_drifted_redis_counter() {
    let redis = platform::testing::required_redis_url();
    let app = spawn_app().await;
    let (_, skus) = app.product("Camera", &[("body", 499_900, 20)]).await;
    let sale = app.flash_sale(&skus[0], 299_900, 10, 2).await;
    let buyer = app.tokens.customer("buyer-1");
    let reply = app
        .place_order(&buyer, flash_input(&skus[0], &sale, 2))
        .await;
    assert_eq!(reply["errors"], json!([]), "{reply}");
    let id = reply["placement"]["orderId"].as_str().unwrap();
    assert_eq!(app.wait_until_placed(&buyer, id).await["status"], "PLACED");
    // A hand that changed the counter: it says 3 fewer.
    let client = redis::Client::open(redis).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: i64 = redis::cmd("DECRBY")
        .arg(format!("flash:{sale}:remaining"))
        .arg(3)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        reconcile(&app).await,
        json!([{ "saleId": sale, "remainingBefore": 5, "remainingAfter": 8 }])
    );
    let remaining: i64 = redis::cmd("GET")
        .arg(format!("flash:{sale}:remaining"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(remaining, 8);
}

/// Redis only. Embedded: no checkout can die outside the process.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn reconciliation_gives_up_on_an_order_queued_too_long() {
    let redis = platform::testing::required_redis_url();
    let app = spawn_with(Options::default()).await;
    let (_, skus) = app.product("Drone", &[("mini", 299_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 199_900, 10, 1).await;
    let buyer = app.tokens.customer("buyer-1");
    let reply = app
        .place_order(&buyer, flash_input(&skus[0], &sale, 1))
        .await;
    let id = reply["placement"]["orderId"].as_str().unwrap();
    assert_eq!(app.wait_until_placed(&buyer, id).await["status"], "PLACED");
    // A checkout that took a unit an hour ago and died before it queued
    // its order: a ticket and a unit that no order will ever claim.
    let lost = uuid::Uuid::new_v4().to_string();
    let an_hour_ago = platform::db::now_millis() - 3_600_000;
    let client = redis::Client::open(redis).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::pipe()
        .atomic()
        .cmd("DECRBY")
        .arg(format!("flash:{sale}:remaining"))
        .arg(1)
        .ignore()
        .cmd("HINCRBY")
        .arg(format!("flash:{sale}:held"))
        .arg("buyer-2")
        .arg(1)
        .ignore()
        .cmd("HSET")
        .arg(format!("flash:{sale}:queued"))
        .arg(&lost)
        .arg(format!("1:{an_hour_ago}:buyer-2"))
        .ignore()
        .cmd("HSET")
        .arg(format!("flash:ticket:{lost}"))
        .arg("sale")
        .arg(&sale)
        .arg("user")
        .arg("buyer-2")
        .arg("qty")
        .arg(1)
        .arg("at")
        .arg(an_hour_ago)
        .arg("state")
        .arg("QUEUED")
        .ignore()
        .query_async(&mut conn)
        .await
        .unwrap();
    // Its buyer is waiting on a subscription; Redis shows when it is live.
    let mut subscriber = app
        .subscribe_raw(&app.tokens.customer("buyer-2"), &lost)
        .await;
    let channel = format!("orders:status:{lost}");
    platform::testing::poll_until(
        Duration::from_secs(10),
        Duration::from_millis(20),
        || async {
            let counts: Vec<(String, i64)> = redis::cmd("PUBSUB")
                .arg("NUMSUB")
                .arg(&channel)
                .query_async(&mut conn.clone())
                .await
                .unwrap();
            counts[0].1
        },
        |subscribers| *subscribers > 0,
    )
    .await
    .expect("the subscription is live");
    assert_eq!(reconcile(&app).await, json!([]), "settling it was enough");
    let remaining: i64 = redis::cmd("GET")
        .arg(format!("flash:{sale}:remaining"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(remaining, 9, "the lost unit is back");
    let lost_placement = app
        .data(
            "query($id: ID!) { orderPlacement(orderId: $id) { status error { code } } }",
            json!({ "id": lost }),
            Some(&app.tokens.customer("buyer-2")),
        )
        .await;
    assert_eq!(
        lost_placement["orderPlacement"],
        json!({ "status": "FAILED", "error": { "code": "FLASH_ORDER_EXPIRED" } })
    );
    let stranger = app
        .data(
            "query($id: ID!) { orderPlacement(orderId: $id) { status } }",
            json!({ "id": lost }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        stranger["orderPlacement"],
        json!(null),
        "someone else's checkout"
    );
    let ended = subscriber.next_message().await;
    assert_eq!(ended["type"], "next", "{ended}");
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"], "FLASH_ORDER_EXPIRED",
        "{ended}"
    );
    assert_eq!(subscriber.next_message().await["type"], "complete");
}
