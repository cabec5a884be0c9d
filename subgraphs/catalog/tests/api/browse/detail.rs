//! A product's detail, an unseeded catalog, and flash sales running now.

use serde_json::{Value, json};

use super::{LIST, amount};
use crate::helpers::{spawn_app, spawn_seeded_app};

#[tokio::test]
async fn product_detail_shows_skus_and_unknown_ids_are_null() {
    let app = spawn_seeded_app().await;
    let list = app.data(LIST, json!({ "first": 1 }), None).await;
    let id = list["products"]["edges"][0]["node"]["id"].clone();
    let query = "query($id: ID!) { product(id: $id) { id name description images brand tags status
        skus { id name price { amount currency } stock inStock } category { id name } } }";
    let data = app.data(query, json!({ "id": id }), None).await;
    let product = &data["product"];
    assert_eq!(product["id"], id);
    assert_eq!(product["status"], "ACTIVE");
    let skus = product["skus"].as_array().expect("skus");
    assert!((1..=4).contains(&skus.len()));
    assert!(skus.iter().all(|s| s["price"]["currency"] == "CNY"));
    assert!(
        product["images"][0]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );

    // Asked twice (the second time from the cache), and for unknown ids.
    assert_eq!(app.data(query, json!({ "id": id }), None).await, data);
    for _ in 0..2 {
        let data = app
            .data(
                query,
                json!({ "id": "00000000-0000-0000-0000-000000000000" }),
                None,
            )
            .await;
        assert_eq!(data["product"], Value::Null);
    }
}

#[tokio::test]
async fn a_fresh_catalog_without_seed_is_empty() {
    let app = spawn_app().await;
    let data = app
        .data(
            "{ categories { id } products(first: 5) { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(data["categories"], json!([]));
    assert_eq!(data["products"]["edges"], json!([]));
}

#[tokio::test]
async fn flash_sales_running_now_are_listed() {
    let app = spawn_seeded_app().await;
    let query = "query($at: Int) { flashSales(activeAt: $at) { id active quantity perUserLimit startsAt endsAt
        salePrice { amount currency } sku { id stock price { amount } product { id } } } }";
    let data = app.data(query, json!({ "at": null }), None).await;
    let sales = data["flashSales"].as_array().expect("a list");
    assert_eq!(sales.len(), 1, "{data}");
    let sale = &sales[0];
    assert_eq!(sale["active"], true);
    assert!(amount(&sale["salePrice"]) < amount(&sale["sku"]["price"]));
    assert!(
        sale["sku"]["stock"].as_i64() >= sale["quantity"].as_i64(),
        "stock behind the sale"
    );
    // Not running a month from now (the demo sale lasts a week).
    let later = sale["endsAt"].as_i64().unwrap_or(0) + 1;
    let data = app.data(query, json!({ "at": later }), None).await;
    assert_eq!(data["flashSales"], json!([]));
    let one = app
        .data(
            "query($id: ID!) { flashSale(id: $id) { id } }",
            json!({ "id": sale["id"] }),
            None,
        )
        .await;
    assert_eq!(one["flashSale"]["id"], sale["id"]);
}
