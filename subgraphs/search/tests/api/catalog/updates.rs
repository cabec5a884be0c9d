//! The catalog's changes reaching the index as events: renames, stock
//! running out, sales.

use std::time::Duration;

use platform::events::Event;
use serde_json::{Value, json};

use super::{live_catalog::spawn_catalog, spawn_search};

#[tokio::test]
async fn a_product_renamed_in_the_catalog_is_found_by_its_new_name_within_a_second() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let product = catalog.documents().await.remove(5);
    assert!(
        app.search_ids(json!({ "query": product.name }))
            .await
            .contains(&product.id)
    );
    let data = catalog
        .graphql(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }",
            json!({ "input": {
                "id": product.id,
                "name": "Quokka Explorer 旅行箱",
                "description": "A sturdy case for long trips.",
            } }),
            Some(&catalog.tokens.admin()),
        )
        .await;
    assert_eq!(data["updateProduct"]["errors"], json!([]));
    // The catalog's outbox relay publishes product.changed; search applies it.
    let renamed_at = std::time::Instant::now();
    loop {
        let found = app.search_ids(json!({ "query": "quokka" })).await;
        if found == [product.id.clone()] {
            break;
        }
        assert!(
            renamed_at.elapsed() < Duration::from_secs(1),
            "not found by its new name in a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let by_old = app.search_ids(json!({ "query": product.name })).await;
    assert!(!by_old.contains(&product.id), "still found by its old name");
}

/// Reservations that take a product's last stock announce `stock.changed`;
/// the index follows: out of the `inStock` filter, and back on release.
#[tokio::test]
async fn a_product_sold_out_by_reservations_leaves_the_in_stock_filter() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let product = catalog
        .documents()
        .await
        .into_iter()
        .find(|d| d.in_stock && d.status == "ACTIVE")
        .expect("a product in stock");
    let data = catalog
        .graphql(
            "query($id: ID!) { product(id: $id) { skus { id stock } } }",
            json!({ "id": product.id }),
            None,
        )
        .await;
    let lines: Vec<Value> = data["product"]["skus"]
        .as_array()
        .expect("skus")
        .iter()
        .filter(|sku| sku["stock"].as_i64() > Some(0))
        .map(|sku| json!({ "skuId": sku["id"], "quantity": sku["stock"] }))
        .collect();
    let in_stock = |wanted: bool| json!({ "query": product.name, "filter": { "inStock": wanted }, "first": 100 });
    let found_in = |wanted: bool| {
        let app = &app;
        let id = product.id.clone();
        async move {
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            loop {
                if app.search_ids(in_stock(wanted)).await.contains(&id) {
                    return;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "not found with inStock {wanted}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    found_in(true).await;

    let post = |path: &str, body: Value| {
        catalog
            .client
            .post(format!("{}{path}", catalog.address))
            .header(catalog::INTERNAL_TOKEN_HEADER, &catalog.token)
            .json(&body)
            .send()
    };
    let reserved = post(
        "/internal/stock/reserve",
        json!({ "orderId": "sell-out", "lines": lines }),
    )
    .await
    .expect("the catalog answers");
    assert_eq!(reserved.status(), 200);
    found_in(false).await;
    assert!(
        !app.search_ids(in_stock(true)).await.contains(&product.id),
        "still in stock in the index"
    );

    let released = post("/internal/stock/release", json!({ "orderId": "sell-out" }))
        .await
        .expect("the catalog answers");
    assert_eq!(released.status(), 200);
    found_in(true).await;
}

#[tokio::test]
async fn sales_from_order_events_reorder_the_sales_sort() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    let leaf = documents[0].category_id.clone().expect("a category");
    let variables = json!({ "filter": { "categoryId": leaf }, "sort": "SALES" });
    let before = app.search_ids(variables.clone()).await;
    let last = before.last().cloned().expect("products in the category");
    // What the orders service publishes when an order is paid; the catalog
    // counts it and announces the product's new sales count.
    let paid = Event::new(
        "order.paid",
        json!({
            "orderId": uuid::Uuid::new_v4().to_string(),
            "status": "PAID",
            "items": [{ "skuId": "any", "productId": last, "quantity": 1_000_000,
                        "unitPrice": { "amount": 100, "currency": "CNY" } }],
        }),
    );
    catalog.broker.publish(&paid).await.expect("publishing");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let now = app.search_ids(variables.clone()).await;
        if now.first() == Some(&last) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sale did not reach the SALES sort: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
