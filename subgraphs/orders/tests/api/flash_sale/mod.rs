//! Flash sales: the atomic pre-deduction admits exactly as many buyers as
//! there are units, keeps the per-buyer limit, refuses clearly when Redis is
//! down; admitted orders are stored asynchronously (through a catalog
//! outage too, or fail with their units given back); reconciliation
//! repairs drift and gives up on orders queued too long.
//! Here: a flash-sale checkout's input and the reconciliation call.

mod admission;
mod reconciliation;
mod storage;

use serde_json::{Value, json};

use crate::helpers::{TestApp, address, new_key};

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
        Some(&app.tokens.admin()),
    )
    .await["reconcileFlashSales"]
        .clone()
}
