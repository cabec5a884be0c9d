//! Admission: exactly as many buyers as units, the per-buyer limit, one
//! queued order per checkout, and clear refusals while Redis is down.

use std::time::Duration;

use platform::testing::{Proxied, proxied};
use serde_json::json;

use super::{flash_input, reconcile};
use crate::{
    concurrency::{race, tally},
    helpers::{Options, spawn_app, spawn_with},
};

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
        let buyer = app.tokens.customer(&format!("racer-{i}"));
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
    let buyer = app.tokens.customer("buyer-1");
    let buy = |quantity: i64| flash_input(&skus[0], &sale, quantity);
    let too_many = app.place_order(&buyer, buy(3)).await;
    assert_eq!(too_many["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let first = app.place_order(&buyer, buy(2)).await;
    assert_eq!(first["errors"], json!([]), "{first}");
    let over = app.place_order(&buyer, buy(1)).await;
    assert_eq!(over["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let other = app
        .place_order(&app.tokens.customer("buyer-2"), buy(2))
        .await;
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
    let again = app
        .place_order(&app.tokens.customer("buyer-2"), buy(2))
        .await;
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
    let Proxied { url, proxy } = proxied(&redis).await.unwrap();
    let app = spawn_with(Options {
        redis_url: Some(url),
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Watch", &[("gold", 199_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 9_900, 5, 1).await;
    let buyer = app.tokens.customer("buyer-1");
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

#[tokio::test]
async fn a_repeated_flash_checkout_is_queued_once() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Lamp", &[("white", 29_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 9_900, 10, 1).await;
    let buyer = app.tokens.customer("buyer-1");
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
    assert_eq!(
        app.order_edges(&buyer).await.as_array().map(Vec::len),
        Some(1)
    );
}
