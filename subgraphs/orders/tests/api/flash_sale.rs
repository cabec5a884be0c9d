//! Flash sales: the atomic pre-deduction admits exactly as many buyers as
//! there are units, keeps the per-buyer limit, refuses clearly when Redis is
//! down, and reconciliation repairs drift.

use std::time::Duration;

use platform::events::proxy::TcpProxy;
use serde_json::json;

use crate::{
    concurrency::{race, tally},
    helpers::{Options, address, new_key, spawn_app, spawn_with, through_proxy},
};

#[tokio::test]
async fn two_hundred_buyers_racing_for_a_flash_sale_of_fifty_get_exactly_fifty_orders() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Flash phone", &[("black", 399_900, 50)]).await;
    let sale = app.flash_sale(&skus[0], 99_900, 50, 1).await;
    let replies = race(&app, &skus[0], Some(&sale), 200).await;
    let (placed, sold_out) = tally(&replies);
    assert_eq!(placed, 50);
    assert_eq!(
        sold_out,
        150,
        "{:?}",
        replies
            .iter()
            .find(|r| r["order"].is_null() && r["errors"][0]["code"] != "OUT_OF_STOCK")
    );
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    let order = replies
        .iter()
        .find(|r| r["order"]["id"].is_string())
        .unwrap();
    assert_eq!(
        order["order"]["items"][0]["unitPrice"]["amount"], 99_900,
        "the sale price"
    );
    let repairs = app
        .data(
            "mutation { reconcileFlashSales { saleId remainingBefore remainingAfter } }",
            json!({}),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(
        repairs["reconcileFlashSales"],
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
    let buy = |quantity: i64| {
        json!({ "lines": [{ "skuId": skus[0], "quantity": quantity }], "shippingAddress": address(),
                "idempotencyKey": new_key(), "flashSaleId": sale })
    };
    let too_many = app.place_order(&buyer, buy(3)).await;
    assert_eq!(too_many["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let first = app.place_order(&buyer, buy(2)).await;
    assert_eq!(first["errors"], json!([]), "{first}");
    let over = app.place_order(&buyer, buy(1)).await;
    assert_eq!(over["errors"][0]["code"], "FLASH_SALE_LIMIT");
    let other = app.place_order(&app.customer("buyer-2"), buy(2)).await;
    assert_eq!(other["errors"][0]["code"], "OUT_OF_STOCK", "one unit left");
    let wrong_sku = app
        .place_order(
            &buyer,
            json!({ "lines": [{ "skuId": "other", "quantity": 1 }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": sale }),
        )
        .await;
    assert_eq!(wrong_sku["errors"][0]["code"], "FLASH_SALE_LINES");
    let unknown = app
        .place_order(
            &buyer,
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": uuid::Uuid::new_v4().to_string() }),
        )
        .await;
    assert_eq!(unknown["errors"][0]["code"], "FLASH_SALE_NOT_FOUND");

    let id = first["order"]["id"].as_str().unwrap().to_owned();
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

#[tokio::test]
async fn flash_sales_refuse_clearly_while_redis_is_down_and_other_checkouts_go_on() {
    let Some(redis) = platform::testing::redis_url() else {
        return; // Embedded: the in-process counter has no outage to test.
    };
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
        .place_order(
            &buyer,
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": sale }),
        )
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
            .place_order(&buyer, json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }], "shippingAddress": address(),
                "idempotencyKey": new_key(), "flashSaleId": sale }))
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
async fn reconciliation_repairs_a_drifted_redis_counter() {
    let Some(redis) = platform::testing::redis_url() else {
        return; // Embedded: nothing outside the process can drift the counter.
    };
    let app = spawn_app().await;
    let (_, skus) = app.product("Camera", &[("body", 499_900, 20)]).await;
    let sale = app.flash_sale(&skus[0], 299_900, 10, 2).await;
    let buyer = app.customer("buyer-1");
    let reply = app
        .place_order(
            &buyer,
            json!({ "lines": [{ "skuId": skus[0], "quantity": 2 }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": sale }),
        )
        .await;
    assert_eq!(reply["errors"], json!([]), "{reply}");
    // A checkout that died after taking units: the counter says 3 fewer.
    let client = redis::Client::open(redis).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: i64 = redis::cmd("DECRBY")
        .arg(format!("flash:{sale}:remaining"))
        .arg(3)
        .query_async(&mut conn)
        .await
        .unwrap();
    let repairs = app
        .data(
            "mutation { reconcileFlashSales { saleId remainingBefore remainingAfter } }",
            json!({}),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(
        repairs["reconcileFlashSales"],
        json!([{ "saleId": sale, "remainingBefore": 5, "remainingAfter": 8 }])
    );
    let remaining: i64 = redis::cmd("GET")
        .arg(format!("flash:{sale}:remaining"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(remaining, 8);
}
