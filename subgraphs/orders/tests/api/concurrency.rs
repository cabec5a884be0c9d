//! 200 buyers racing for 50 units: exactly 50 orders, stock 0, no oversell.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, address, new_key, spawn_app};

pub async fn race(
    app: &TestApp,
    sku: &str,
    flash_sale_id: Option<&str>,
    buyers: usize,
) -> Vec<Value> {
    race_at(app, &app.address, "racer", sku, flash_sale_id, buyers).await
}

/// Like [`race`] at the replica serving `base`, the buyers named
/// `{prefix}-{i}`.
pub async fn race_at(
    app: &TestApp,
    base: &str,
    prefix: &str,
    sku: &str,
    flash_sale_id: Option<&str>,
    buyers: usize,
) -> Vec<Value> {
    join_all((0..buyers).map(|i| {
        let token = app.tokens.customer(&format!("{prefix}-{i}"));
        let mut input = json!({ "lines": [{ "skuId": sku, "quantity": 1 }],
            "shippingAddress": address(), "idempotencyKey": new_key() });
        if let Some(sale) = flash_sale_id {
            input["flashSaleId"] = json!(sale);
        }
        async move { app.place_order_at(base, &token, input).await }
    }))
    .await
}

/// (checkouts that got their units: placed, or queued for a flash sale;
/// checkouts told OUT_OF_STOCK).
pub fn tally(replies: &[Value]) -> (usize, usize) {
    let placed = replies
        .iter()
        .filter(|r| r["placement"]["orderId"].is_string())
        .count();
    let sold_out = replies
        .iter()
        .filter(|r| r["errors"][0]["code"] == "OUT_OF_STOCK")
        .count();
    (placed, sold_out)
}

#[tokio::test]
async fn two_hundred_buyers_racing_for_fifty_units_get_exactly_fifty_orders() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Console", &[("limited", 299_900, 50)]).await;
    let replies = race(&app, &skus[0], None, 200).await;
    let (placed, sold_out) = tally(&replies);
    assert_eq!(placed, 50, "orders placed");
    assert_eq!(
        sold_out,
        150,
        "the rest are told OUT_OF_STOCK: {:?}",
        replies
            .iter()
            .find(|r| r["order"].is_null() && r["errors"][0]["code"] != "OUT_OF_STOCK")
    );
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    let all = app
        .data(
            "{ adminOrders(first: 100) { edges { node { id } } } }",
            json!({}),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(
        all["adminOrders"]["edges"].as_array().map(Vec::len),
        Some(50)
    );
}
