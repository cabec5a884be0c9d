//! `/metrics`: the counters move with what happens, and nested lists are
//! loaded in one batch per lookup round, however many orders a page holds.

use orders::PaymentCallback;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

async fn metric(app: &TestApp, name: &str) -> i64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("the request is sent")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

#[tokio::test]
async fn a_page_of_orders_loads_its_items_and_payments_in_one_batch_each() {
    let app = spawn_app().await;
    let (_, skus) = app
        .product("Socks", &[("wool", 900, 50), ("cotton", 500, 50)])
        .await;
    let buyer = app.tokens.customer("buyer-1");
    for quantity in 1..=5 {
        app.order_of(&buyer, &[(&skus[0], quantity), (&skus[1], 1)])
            .await;
    }
    assert_eq!(metric(&app, "orders_placed_total").await, 5);
    let refused = app
        .place_order(&buyer, json!({ "lines": [{ "skuId": skus[0], "quantity": 500 }],
            "shippingAddress": crate::helpers::address(), "idempotencyKey": crate::helpers::new_key() }))
        .await;
    assert_eq!(refused["errors"][0]["code"], "INVALID_QUANTITY");
    assert_eq!(metric(&app, "orders_checkouts_refused_total").await, 1);

    let item_batches = metric(&app, "orders_item_loader_batches_total").await;
    let item_keys = metric(&app, "orders_item_loader_keys_total").await;
    let payment_batches = metric(&app, "orders_payment_loader_batches_total").await;
    let page = app
        .data("{ orders(first: 10) { edges { node { id items { skuId quantity } payments { id } } } } }", json!({}), Some(&buyer))
        .await;
    let edges = page["orders"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 5);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["items"].as_array().map(Vec::len) == Some(2))
    );
    assert_eq!(
        metric(&app, "orders_item_loader_batches_total").await,
        item_batches + 1
    );
    assert_eq!(
        metric(&app, "orders_item_loader_keys_total").await,
        item_keys + 5
    );
    assert_eq!(
        metric(&app, "orders_payment_loader_batches_total").await,
        payment_batches + 1
    );

    let forged = PaymentCallback {
        payment_id: "p".into(),
        order_id: "o".into(),
        amount: 1,
        currency: "CNY".into(),
        status: "SUCCEEDED".into(),
        provider_reference: "r".into(),
    };
    assert_eq!(app.callback(&forged, "wrong-secret").await, 401);
    assert_eq!(
        metric(&app, "orders_payment_callbacks_forged_total").await,
        1
    );
    assert!(metric(&app, "orders_outbox_pending").await >= 0);
}
