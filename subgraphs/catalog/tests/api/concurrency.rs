//! Overselling is a bug: 50 concurrent decrements of 1 on stock 20 leave
//! exactly 20 successes and stock 0, on every engine switched on.

use futures::future::join_all;
use platform::testing::{TestEngine, engines};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_on};

/// An app on `engine` with one product whose only SKU has 20 in stock: the
/// app, the product id and the SKU ids.
async fn twenty_in_stock(engine: TestEngine) -> (TestApp, String, Vec<String>) {
    let app = spawn_app_on(engine, false).await;
    let category = app.create_category("Flash", None).await;
    let (product, skus) = app
        .create_product(&category, "Hot item", &[("only", 9900, 20)])
        .await;
    (app, product, skus)
}

#[tokio::test]
async fn fifty_concurrent_adjustments_on_stock_twenty_succeed_twenty_times() {
    for engine in engines() {
        let (app, product, skus) = twenty_in_stock(engine).await;
        let admin = app.tokens.admin();
        let adjust = "mutation($sku: ID!) { adjustStock(skuId: $sku, delta: -1) { sku { stock } errors { code } } }";
        let results =
            join_all((0..50).map(|_| app.graphql(adjust, json!({ "sku": skus[0] }), Some(&admin))))
                .await;
        let ok = results
            .iter()
            .filter(|r| r["data"]["adjustStock"]["sku"].is_object())
            .count();
        let refused = results
            .iter()
            .filter(|r| r["data"]["adjustStock"]["errors"][0]["code"] == "INSUFFICIENT_STOCK")
            .count();
        assert_eq!((ok, refused), (20, 30), "{engine}: {results:?}");
        assert_eq!(app.stock_of(&product, &skus[0]).await, 0, "{engine}");
    }
}

#[tokio::test]
async fn fifty_concurrent_reservations_on_stock_twenty_succeed_twenty_times() {
    for engine in engines() {
        let (app, product, skus) = twenty_in_stock(engine).await;
        let results = join_all((0..50).map(|i| {
            app.internal_post(
                "/internal/stock/reserve",
                json!({ "orderId": format!("order-{i}"), "lines": [{ "skuId": skus[0], "quantity": 1 }] }),
            )
        }))
        .await;
        let ok = results.iter().filter(|(status, _)| *status == 200).count();
        let conflicts: Vec<_> = results
            .iter()
            .filter(|(status, _)| *status == 409)
            .collect();
        assert_eq!((ok, conflicts.len()), (20, 30), "{engine}: {results:?}");
        assert!(
            conflicts.iter().all(
                |(_, body)| body["code"] == "OUT_OF_STOCK" && body["skuId"] == skus[0].as_str()
            )
        );
        assert_eq!(app.stock_of(&product, &skus[0]).await, 0, "{engine}");
    }
}
