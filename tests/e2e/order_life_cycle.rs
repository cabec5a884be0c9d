//! Cart, checkout and payment through the router, watched over a WebSocket
//! subscription that goes through the router too.

use serde_json::{Value, json};

use crate::{
    helpers::{TestPlatform, shipping_address},
    ws::{Protocol, WsClient},
};

const STATUS_CHANGED: &str = "subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus changedAt } }";

async fn sku_stock(platform: &TestPlatform, product_id: &str, sku_id: &str) -> i64 {
    let response = platform
        .graphql(
            "query($id: ID!) { product(id: $id) { skus { id stock } } }",
            json!({ "id": product_id }),
            None,
        )
        .await;
    response.data()["product"]["skus"]
        .as_array()
        .and_then(|skus| skus.iter().find(|s| s["id"] == sku_id))
        .and_then(|s| s["stock"].as_i64())
        .unwrap_or_else(|| panic!("no stock for {sku_id}: {}", response.body))
}

fn status_change(payload: &Value) -> &Value {
    assert!(payload.get("errors").is_none(), "{payload}");
    &payload["data"]["orderStatusChanged"]
}

#[tokio::test]
async fn cart_to_paid_order_seen_through_a_router_subscription() {
    let platform = TestPlatform::spawn().await;
    let token = platform.customer_token().await;
    let (product_id, sku_id) = platform.product_in_stock().await;
    let stock_before = sku_stock(&platform, &product_id, &sku_id).await;

    let cart = platform
        .graphql(
            "mutation($s: ID!) { addToCart(skuId: $s, quantity: 2) { cart { itemCount lines { skuId quantity product { id name } } total { amount } } errors { code message } } }",
            json!({ "s": sku_id }),
            Some(&token),
        )
        .await;
    let cart = &cart.data()["addToCart"];
    assert_eq!(cart["errors"], json!([]), "{cart}");
    assert_eq!(cart["cart"]["itemCount"], 2, "{cart}");
    assert_eq!(
        cart["cart"]["lines"][0]["product"]["id"],
        product_id.as_str()
    );
    assert!(
        cart["cart"]["lines"][0]["product"]["name"].is_string(),
        "{cart}"
    );

    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status total { amount } items { skuId quantity } } errors { code message } } }",
            json!({ "input": { "fromCart": true, "shippingAddress": shipping_address(), "idempotencyKey": "e2e-checkout-1" } }),
            Some(&token),
        )
        .await;
    let placed = &placed.data()["placeOrder"];
    assert_eq!(placed["errors"], json!([]), "{placed}");
    let order = &placed["order"];
    assert_eq!(order["status"], "PENDING_PAYMENT");
    assert_eq!(order["items"], json!([{ "skuId": sku_id, "quantity": 2 }]));
    assert_eq!(
        order["total"], cart["cart"]["total"],
        "the order costs what the cart did"
    );
    let order_id = order["id"].as_str().expect("an order id").to_owned();
    assert_eq!(
        sku_stock(&platform, &product_id, &sku_id).await,
        stock_before - 2,
        "placing the order reserves the stock"
    );
    let emptied = platform
        .graphql("{ cart { itemCount } }", json!({}), Some(&token))
        .await;
    assert_eq!(emptied.data()["cart"]["itemCount"], 0);

    // The token travels in connection_init, as a browser's would.
    let mut socket = WsClient::connect(&platform.websocket_url(), Some(&token))
        .await
        .unwrap_or_else(|refused| panic!("the router refused the socket: {refused:?}"));
    socket
        .subscribe("status", STATUS_CHANGED, json!({ "id": order_id }))
        .await;
    let first = socket.next_payload("status").await;
    let first = status_change(&first);
    assert_eq!(first["orderId"], order_id.as_str());
    assert_eq!(first["status"], "PENDING_PAYMENT", "{first}");
    assert!(first["previousStatus"].is_null(), "{first}");

    let paid = platform
        .graphql(
            "mutation($id: ID!) { payOrder(orderId: $id, method: WECHAT_PAY, idempotencyKey: \"e2e-pay-1\") { payment { status amount { amount } } errors { code message } } }",
            json!({ "id": order_id }),
            Some(&token),
        )
        .await;
    let payment = &paid.data()["payOrder"];
    assert_eq!(payment["errors"], json!([]), "{payment}");
    assert_eq!(payment["payment"]["amount"], order["total"]);

    let next = socket.next_payload("status").await;
    let next = status_change(&next);
    assert_eq!(next["orderId"], order_id.as_str());
    assert_eq!(next["status"], "PAID", "{next}");
    assert_eq!(next["previousStatus"], "PENDING_PAYMENT", "{next}");
    assert!(
        next["changedAt"].as_i64() >= first["changedAt"].as_i64(),
        "{first} then {next}"
    );

    socket
        .send(json!({ "id": "status", "type": "complete" }))
        .await;
    let read = platform
        .graphql(
            "query($id: ID!) { order(id: $id) { status payments { status } product: items { product { salesCount } } } }",
            json!({ "id": order_id }),
            Some(&token),
        )
        .await;
    let read = &read.data()["order"];
    assert_eq!(read["status"], "PAID");
    assert_eq!(read["payments"], json!([{ "status": "SUCCEEDED" }]));
    assert_eq!(read["product"], json!([{ "product": { "salesCount": 2 } }]));
}

#[tokio::test]
async fn subscriptions_through_the_router_need_the_buyer_or_a_valid_token() {
    let platform = TestPlatform::spawn().await;
    let token = platform.customer_token().await;
    let (_, sku_id) = platform.product_in_stock().await;
    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }",
            json!({ "input": { "lines": [{ "skuId": sku_id, "quantity": 1 }], "shippingAddress": shipping_address(), "idempotencyKey": "e2e-sub-auth" } }),
            Some(&token),
        )
        .await;
    let order_id = placed.data()["placeOrder"]["order"]["id"].clone();
    assert!(order_id.is_string(), "{}", placed.body);

    // A token that does not verify ends the connection (4403 Forbidden).
    let refused = WsClient::connect(&platform.websocket_url(), Some("not.a.jwt")).await;
    match refused {
        Err(refused) => assert_eq!(refused.close_code, Some(4403)),
        Ok(_) => panic!("a bad token was acknowledged"),
    }

    // Anonymous: the router refuses the @authenticated root field itself,
    // before any fetch, with that one error, and ends the operation.
    let mut anonymous = WsClient::connect(&platform.websocket_url(), None)
        .await
        .unwrap_or_else(|refused| panic!("an anonymous socket is refused: {refused:?}"));
    anonymous
        .subscribe("a", STATUS_CHANGED, json!({ "id": order_id }))
        .await;
    let payload = anonymous.next_payload("a").await;
    assert!(payload["data"].is_null(), "{payload}");
    let codes: Vec<&str> = payload["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("(none)"))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(codes, ["UNAUTHORIZED_FIELD_OR_TYPE"], "{payload}");
    let done = anonymous.next_message().await;
    assert_eq!(done, json!({ "id": "a", "type": "complete" }));

    // Another customer: the subgraph refuses someone else's order.
    let (_, stranger) = platform
        .sign_up("stranger@example.com", "Stranger", "stranger-pass-1")
        .await;
    let mut other = WsClient::connect(&platform.websocket_url(), Some(&stranger))
        .await
        .unwrap_or_else(|refused| panic!("the stranger's socket is refused: {refused:?}"));
    other
        .subscribe("b", STATUS_CHANGED, json!({ "id": order_id }))
        .await;
    let message = other.next_message().await;
    assert_ne!(
        message["payload"]["data"]["orderStatusChanged"]["status"], "PENDING_PAYMENT",
        "a stranger saw the order: {message}"
    );
    assert!(
        message["type"] == "error" || message["payload"]["errors"].is_array(),
        "{message}"
    );

    // The buyer, on the legacy graphql-ws protocol, sees it cancelled.
    let mut buyer =
        WsClient::connect_with(Protocol::Legacy, &platform.websocket_url(), Some(&token))
            .await
            .unwrap_or_else(|refused| panic!("the buyer's socket is refused: {refused:?}"));
    buyer
        .subscribe("c", STATUS_CHANGED, json!({ "id": order_id }))
        .await;
    let first = buyer.next_payload("c").await;
    assert_eq!(
        status_change(&first)["status"],
        "PENDING_PAYMENT",
        "{first}"
    );
    let cancelled = platform
        .graphql(
            "mutation($id: ID!) { cancelOrder(orderId: $id) { order { status cancelReason } errors { code } } }",
            json!({ "id": order_id }),
            Some(&token),
        )
        .await;
    assert_eq!(
        cancelled.data()["cancelOrder"]["order"]["status"],
        "CANCELLED",
        "{}",
        cancelled.body
    );
    let next = buyer.next_payload("c").await;
    let next = status_change(&next);
    assert_eq!(next["status"], "CANCELLED", "{next}");
    assert_eq!(next["previousStatus"], "PENDING_PAYMENT", "{next}");
}

#[tokio::test]
async fn a_flash_sale_order_is_queued_then_stored_through_the_router() {
    let platform = TestPlatform::spawn().await;
    let token = platform.customer_token().await;
    // An administrator puts a SKU on sale through the router: the sale
    // window is in Timestamp milliseconds, beyond a 32-bit Int.
    let admin = platform.admin_token().await;
    let (_, sku_id) = platform.product_in_stock().await;
    let now = platform::db::now_millis();
    let created = platform
        .graphql(
            "mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id salePrice { amount } startsAt sku { id } } errors { code message } } }",
            json!({ "input": { "skuId": sku_id, "salePrice": 100, "quantity": 1, "perUserLimit": 1,
                "startsAt": now - 1_000, "endsAt": now + 3_600_000 } }),
            Some(&admin),
        )
        .await;
    let created = &created.data()["createFlashSale"];
    assert_eq!(created["errors"], json!([]), "{created}");
    let sale = &created["flashSale"];
    assert_eq!(sale["startsAt"], now - 1_000);
    let running = platform
        .graphql(
            "query($at: Timestamp) { flashSales(activeAt: $at) { id } }",
            json!({ "at": now }),
            None,
        )
        .await;
    assert!(
        running.data()["flashSales"]
            .as_array()
            .is_some_and(|sales| sales.iter().any(|s| s["id"] == sale["id"])),
        "{}",
        running.body
    );
    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } placement { orderId status } errors { code message } } }",
            json!({ "input": { "lines": [{ "skuId": sale["sku"]["id"], "quantity": 1 }],
                "shippingAddress": shipping_address(), "idempotencyKey": "e2e-flash-1",
                "flashSaleId": sale["id"] } }),
            Some(&token),
        )
        .await;
    let placed = &placed.data()["placeOrder"];
    assert_eq!(placed["errors"], json!([]), "{placed}");
    assert_eq!(placed["placement"]["status"], "QUEUED", "{placed}");
    assert_eq!(placed["order"], json!(null), "stored asynchronously");
    let order_id = placed["placement"]["orderId"].clone();

    let placement = platform::testing::poll_until(
        std::time::Duration::from_secs(20),
        std::time::Duration::from_millis(100),
        || async {
            platform
                .graphql(
                    "query($id: ID!) { orderPlacement(orderId: $id) { status order { id status items { unitPrice { amount } product { name } } } } }",
                    json!({ "id": order_id }),
                    Some(&token),
                )
                .await
                .data()["orderPlacement"]
                .clone()
        },
        |placement| placement["status"] != "QUEUED",
    )
    .await
    .unwrap_or_else(|placement| panic!("still queued: {placement}"));
    assert_eq!(placement["status"], "PLACED", "{placement}");
    let order = &placement["order"];
    assert_eq!(order["id"], order_id);
    assert_eq!(order["status"], "PENDING_PAYMENT");
    assert_eq!(
        order["items"][0]["unitPrice"]["amount"], sale["salePrice"]["amount"],
        "the sale price"
    );
    assert!(
        order["items"][0]["product"]["name"].is_string(),
        "the product comes from the catalog: {order}"
    );
}
