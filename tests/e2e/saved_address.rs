//! Checkout with the demo customer's saved default address, through the
//! router: orders reads it from the users service's internal API (the
//! stack hands both the same internal token) and keeps a copy.

use serde_json::json;

use crate::helpers::TestPlatform;

#[tokio::test]
async fn an_order_ships_to_the_saved_default_address() {
    let platform = TestPlatform::spawn().await;
    let token = platform.customer_token().await;
    let me = platform
        .graphql(
            "{ me { addresses { id isDefault recipient city } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let default = me.data()["me"]["addresses"]
        .as_array()
        .and_then(|book| book.iter().find(|a| a["isDefault"] == true).cloned())
        .unwrap_or_else(|| panic!("the demo customer has a default address: {}", me.body));
    let (_, sku) = platform.product_in_stock().await;

    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { \
             order { id status shippingAddress { recipient city } } \
             errors { code field message } } }",
            json!({ "input": { "lines": [{ "skuId": sku, "quantity": 1 }],
                    "addressId": default["id"],
                    "idempotencyKey": uuid::Uuid::new_v4().to_string() } }),
            Some(&token),
        )
        .await;
    let payload = &placed.data()["placeOrder"];
    assert_eq!(payload["errors"], json!([]), "{payload}");
    assert_eq!(payload["order"]["status"], "PENDING_PAYMENT");
    assert_eq!(
        payload["order"]["shippingAddress"],
        json!({ "recipient": default["recipient"], "city": default["city"] })
    );

    // Another user's address id is unknown to this customer.
    let (_, stranger) = platform
        .sign_up(
            &format!("stranger-{}@example.com", uuid::Uuid::new_v4().simple()),
            "Stranger",
            "s3cret-pass",
        )
        .await;
    let refused = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { \
             order { id } errors { code field } } }",
            json!({ "input": { "lines": [{ "skuId": sku, "quantity": 1 }],
                    "addressId": default["id"],
                    "idempotencyKey": uuid::Uuid::new_v4().to_string() } }),
            Some(&stranger),
        )
        .await;
    assert_eq!(
        refused.data()["placeOrder"],
        json!({ "order": null, "errors": [{ "code": "UNKNOWN_ADDRESS", "field": "addressId" }] })
    );
}
