//! Flash sales: the atomic pre-deduction admits exactly as many buyers as
//! there are units, keeps the per-buyer limit, refuses clearly when Redis is
//! down; admitted orders are stored asynchronously (through a catalog
//! outage too, or fail with their units given back); reconciliation
//! repairs drift and gives up on orders queued too long.

use std::time::Duration;

use platform::events::proxy::TcpProxy;
use serde_json::{Value, json};

use crate::{
    concurrency::{race, tally},
    helpers::{Options, TestApp, address, new_key, spawn_app, spawn_with, through_proxy},
};

/// A flash-sale checkout of `quantity` units of `sku`.
fn flash_input(sku: &str, sale: &str, quantity: i64) -> Value {
    json!({ "lines": [{ "skuId": sku, "quantity": quantity }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": sale })
}

/// Runs `reconcileFlashSales` as an administrator; its repairs.
async fn reconcile(app: &TestApp) -> Value {
    app.data(
        "mutation { reconcileFlashSales { saleId remainingBefore remainingAfter } }",
        json!({}),
        Some(&app.admin()),
    )
    .await["reconcileFlashSales"]
        .clone()
}

#[tokio::test]
async fn two_hundred_buyers_racing_for_a_flash_sale_of_fifty_get_exactly_fifty_orders() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Flash phone", &[("black", 399_900, 50)]).await;
    let sale = app.flash_sale(&skus[0], 99_900, 50, 1).await;
    let replies = race(&app, &skus[0], Some(&sale), 200).await;
    let (admitted, sold_out) = tally(&replies);
    assert_eq!(admitted, 50);
    assert_eq!(
        sold_out,
        150,
        "{:?}",
        replies
            .iter()
            .find(|r| r["placement"].is_null() && r["errors"][0]["code"] != "OUT_OF_STOCK")
    );
    for (i, reply) in replies.iter().enumerate() {
        if reply["placement"].is_null() {
            continue;
        }
        assert_eq!(reply["placement"]["status"], "QUEUED", "{reply}");
        assert_eq!(reply["order"], json!(null), "stored asynchronously");
        let buyer = app.customer(&format!("racer-{i}"));
        let id = reply["placement"]["orderId"].as_str().unwrap();
        let placement = app.wait_until_placed(&buyer, id).await;
        assert_eq!(placement["status"], "PLACED", "{placement}");
        let order = &placement["order"];
        assert_eq!(order["id"], id);
        assert_eq!(order["status"], "PENDING_PAYMENT");
        assert_eq!(
            order["items"][0]["unitPrice"]["amount"], "99900",
            "the sale price"
        );
    }
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    assert_eq!(
        reconcile(&app).await,
        json!([]),
        "no drift after a clean race"
    );
}

#[tokio::test]
async fn the_per_buyer_limit_holds_and_cancelled_units_return_to_the_sale() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Sneakers", &[("42", 89_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 19_900, 3, 2).await;
    let buyer = app.customer("buyer-1");
    let buy = |quantity: i64| flash_input(&skus[0], &sale, quantity);
    let too_many = app.place_order(&buyer, buy(3)).await;
    assert_eq!(too_many["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let first = app.place_order(&buyer, buy(2)).await;
    assert_eq!(first["errors"], json!([]), "{first}");
    let over = app.place_order(&buyer, buy(1)).await;
    assert_eq!(over["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let other = app.place_order(&app.customer("buyer-2"), buy(2)).await;
    assert_eq!(other["errors"][0]["code"], "OUT_OF_STOCK", "one unit left");
    let wrong_sku = app
        .place_order(&buyer, flash_input("other", &sale, 1))
        .await;
    assert_eq!(wrong_sku["errors"][0]["code"], "FLASH_SALE_LINES");
    let unknown = app
        .place_order(
            &buyer,
            flash_input(&skus[0], &uuid::Uuid::new_v4().to_string(), 1),
        )
        .await;
    assert_eq!(unknown["errors"][0]["code"], "FLASH_SALE_NOT_FOUND");

    let id = first["placement"]["orderId"].as_str().unwrap().to_owned();
    let placed = app.wait_until_placed(&buyer, &id).await;
    assert_eq!(placed["status"], "PLACED", "{placed}");
    app.transition(&buyer, "cancelOrder", "orderId: $id", json!({ "id": id }))
        .await;
    app.wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
        o["stockReleased"] == true
    })
    .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 10);
    let again = app.place_order(&app.customer("buyer-2"), buy(2)).await;
    assert_eq!(
        again["errors"],
        json!([]),
        "units came back to the sale: {again}"
    );
}

/// Redis only. Embedded: the in-process counter has no outage to test.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn flash_sales_refuse_clearly_while_redis_is_down_and_other_checkouts_go_on() {
    let redis = platform::testing::required_redis_url();
    let (_, upstream) = through_proxy(&redis, "127.0.0.1:1".parse().unwrap());
    let proxy = TcpProxy::start(upstream).await.unwrap();
    let (proxied, _) = through_proxy(&redis, proxy.addr());
    let app = spawn_with(Options {
        redis_url: Some(proxied),
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Watch", &[("gold", 199_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 9_900, 5, 1).await;
    let buyer = app.customer("buyer-1");
    proxy.cut();
    let refused = app
        .place_order(&buyer, flash_input(&skus[0], &sale, 1))
        .await;
    assert_eq!(
        refused["errors"][0]["code"], "FLASH_SALE_UNAVAILABLE",
        "{refused}"
    );
    let normal = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    assert_eq!(normal["status"], "PENDING_PAYMENT");
    proxy.restore();
    let mut placed = None;
    for _ in 0..50 {
        let reply = app
            .place_order(&buyer, flash_input(&skus[0], &sale, 1))
            .await;
        if reply["errors"] == json!([]) {
            placed = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(placed.is_some(), "flash sales resume when Redis is back");
}

/// Redis only. Embedded: nothing outside the process can drift the counter.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn reconciliation_repairs_a_drifted_redis_counter() {
    let redis = platform::testing::required_redis_url();
    let app = spawn_app().await;
    let (_, skus) = app.product("Camera", &[("body", 499_900, 20)]).await;
    let sale = app.flash_sale(&skus[0], 299_900, 10, 2).await;
    let buyer = app.customer("buyer-1");
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

#[tokio::test]
async fn a_repeated_flash_checkout_is_queued_once() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Lamp", &[("white", 29_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 9_900, 10, 1).await;
    let buyer = app.customer("buyer-1");
    let input = flash_input(&skus[0], &sale, 1);
    let replies =
        futures::future::join_all((0..5).map(|_| app.place_order(&buyer, input.clone()))).await;
    let ids: std::collections::HashSet<&str> = replies
        .iter()
        .map(|r| {
            r["placement"]["orderId"]
                .as_str()
                .unwrap_or_else(|| panic!("{r}"))
        })
        .collect();
    assert_eq!(ids.len(), 1, "one order id for one checkout: {replies:?}");
    let id = ids.into_iter().next().unwrap();
    assert_eq!(app.wait_until_placed(&buyer, id).await["status"], "PLACED");
    let again = app.place_order(&buyer, input).await;
    assert_eq!(again["order"]["id"], id, "the stored order: {again}");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 9);
    let orders = app
        .data(
            "{ orders { edges { node { id } } } }",
            json!({}),
            Some(&buyer),
        )
        .await;
    assert_eq!(orders["orders"]["edges"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn admitted_orders_wait_out_a_catalog_outage_and_are_stored_after_it() {
    let app = spawn_with(Options {
        catalog_proxy: true,
        ..Options::default()
    })
    .await;
    let proxy = app.catalog_proxy.as_ref().unwrap();
    let (product, skus) = app.product("Kettle", &[("steel", 19_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 4_900, 10, 1).await;
    let app = &app;
    let buy = |buyer: &str| {
        let token = app.customer(buyer);
        let input = flash_input(&skus[0], &sale, 1);
        async move { (app.place_order(&token, input).await, token) }
    };
    // The first checkout looks the sale up; the next one, moments later,
    // is admitted on that answer while the catalog is unreachable.
    let (first, first_buyer) = buy("buyer-1").await;
    proxy.cut();
    let (second, second_buyer) = buy("buyer-2").await;
    for reply in [&first, &second] {
        assert_eq!(reply["placement"]["status"], "QUEUED", "{reply}");
    }
    let second_id = second["placement"]["orderId"].as_str().unwrap();
    // The buyer may follow the queued order live: its first message comes
    // when it is stored.
    let mut subscriber = app.subscribe_raw(&second_buyer, second_id).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let waiting = app
        .data(
            "query($id: ID!) { orderPlacement(orderId: $id) { status } }",
            json!({ "id": second_id }),
            Some(&second_buyer),
        )
        .await;
    assert_eq!(
        waiting["orderPlacement"]["status"], "QUEUED",
        "no catalog, no reservation: the order waits"
    );
    proxy.restore();
    let first_id = first["placement"]["orderId"].as_str().unwrap();
    for (buyer, id) in [(&first_buyer, first_id), (&second_buyer, second_id)] {
        let placement = app.wait_until_placed(buyer, id).await;
        assert_eq!(placement["status"], "PLACED", "{placement}");
    }
    let stored = subscriber.next_status().await;
    assert_eq!(stored["orderId"], second_id);
    assert_eq!(stored["status"], "PENDING_PAYMENT");
    assert_eq!(stored["previousStatus"], json!(null));
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);
}

#[tokio::test]
async fn an_admitted_order_the_catalog_cannot_fill_fails_and_gives_its_units_back() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Blender", &[("red", 59_900, 5)]).await;
    let sale = app.flash_sale(&skus[0], 29_900, 5, 1).await;
    // Ordinary buyers take 3 of the 5 units the sale was promised.
    app.order_of(&app.customer("regular"), &[(&skus[0], 3)])
        .await;
    let replies = race(&app, &skus[0], Some(&sale), 5).await;
    let (admitted, _) = tally(&replies);
    assert_eq!(admitted, 5, "the counter admits the sale's 5: {replies:?}");
    let mut outcomes = Vec::new();
    for (i, reply) in replies.iter().enumerate() {
        let buyer = app.customer(&format!("racer-{i}"));
        let id = reply["placement"]["orderId"].as_str().unwrap();
        outcomes.push(app.wait_until_placed(&buyer, id).await);
    }
    let placed = outcomes.iter().filter(|p| p["status"] == "PLACED").count();
    let failed: Vec<&Value> = outcomes
        .iter()
        .filter(|p| p["status"] == "FAILED")
        .collect();
    assert_eq!((placed, failed.len()), (2, 3), "{outcomes:?}");
    for placement in failed {
        assert_eq!(placement["error"]["code"], "OUT_OF_STOCK", "{placement}");
        assert_eq!(placement["order"], json!(null));
    }
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    assert_eq!(
        reconcile(&app).await,
        json!([]),
        "the failed orders gave their units back to the counter"
    );
    let retry = app
        .place_order(
            &app.customer("racer-0-again"),
            flash_input(&skus[0], &sale, 1),
        )
        .await;
    assert_eq!(
        retry["placement"]["status"], "QUEUED",
        "the counter has units again: {retry}"
    );
}

/// Redis only. Embedded: no checkout can die outside the process.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn reconciliation_gives_up_on_an_order_queued_too_long() {
    let redis = platform::testing::required_redis_url();
    let app = spawn_with(Options::default()).await;
    let (_, skus) = app.product("Drone", &[("mini", 299_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 199_900, 10, 1).await;
    let buyer = app.customer("buyer-1");
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
    let mut subscriber = app.subscribe_raw(&app.customer("buyer-2"), &lost).await;
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
            Some(&app.customer("buyer-2")),
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
