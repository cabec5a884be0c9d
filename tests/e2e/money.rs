//! Money past GraphQL's 32-bit `Int`: a price and an order total above
//! 21,474,836.47 yuan go in and come out through the router exactly.

use serde_json::json;

use crate::helpers::{TestPlatform, shipping_address};

/// 12,345,678.91 yuan in fen: two of them cost more than an `Int` holds.
const PRICE: &str = "1234567891";
const TOTAL: &str = "2469135782";

#[tokio::test]
async fn an_order_total_above_32_bits_round_trips_exactly_through_the_router() {
    let platform = TestPlatform::spawn().await;
    let admin = platform.admin_token().await;
    let categories = platform
        .graphql("{ categories { id } }", json!({}), None)
        .await;
    let category_id = categories.data()["categories"][0]["id"].clone();
    let created = platform
        .graphql(
            "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id skus { id price { amount currency } } } errors { code field message } } }",
            json!({ "input": { "categoryId": category_id, "name": "金条 1 kg", "brand": "E2E",
                "description": "a bar of gold", "images": ["https://img.example.com/gold.jpg"],
                "skus": [{ "name": "1 kg", "price": PRICE, "stock": 5 }] } }),
            Some(&admin),
        )
        .await;
    let created = &created.data()["createProduct"];
    assert_eq!(created["errors"], json!([]), "{created}");
    let sku = &created["product"]["skus"][0];
    assert_eq!(sku["price"], json!({ "amount": PRICE, "currency": "CNY" }));

    let token = platform.customer_token().await;
    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id total { amount currency } items { lineTotal { amount } } } errors { code message } } }",
            json!({ "input": { "lines": [{ "skuId": sku["id"], "quantity": 2 }],
                "shippingAddress": shipping_address(), "idempotencyKey": "e2e-gold-1" } }),
            Some(&token),
        )
        .await;
    let placed = &placed.data()["placeOrder"];
    assert_eq!(placed["errors"], json!([]), "{placed}");
    assert_eq!(
        placed["order"]["total"],
        json!({ "amount": TOTAL, "currency": "CNY" })
    );
    assert_eq!(placed["order"]["items"][0]["lineTotal"]["amount"], TOTAL);

    let read_back = platform
        .graphql(
            "query($id: ID!) { order(id: $id) { total { amount } } }",
            json!({ "id": placed["order"]["id"] }),
            Some(&token),
        )
        .await;
    assert_eq!(
        read_back.data()["order"]["total"]["amount"],
        TOTAL,
        "{}",
        read_back.body
    );
}
