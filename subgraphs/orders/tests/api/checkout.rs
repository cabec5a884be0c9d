//! placeOrder: reservation, snapshots, idempotency and bad input.

use serde_json::json;

use crate::helpers::{address, new_key, spawn_app};

#[tokio::test]
async fn an_order_keeps_the_prices_and_names_of_purchase_time() {
    let app = spawn_app().await;
    let (product, skus) = app
        .product(
            "手机 Phone",
            &[("128GB", 199_900, 10), ("256GB", 229_900, 5)],
        )
        .await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 2), (&skus[1], 1)]).await;
    assert_eq!(order["status"], "PENDING_PAYMENT");
    assert!(
        order["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("SG")),
        "{order}"
    );
    assert_eq!(
        order["total"],
        json!({ "amount": "629700", "currency": "CNY" })
    );
    assert_eq!(order["items"][0]["productName"], "手机 Phone");
    assert_eq!(order["items"][0]["skuName"], "128GB");
    assert_eq!(order["items"][0]["product"]["id"], product.as_str());
    assert_eq!(order["items"][0]["lineTotal"]["amount"], "399800");
    assert_eq!(order["shippingAddress"]["city"], "上海");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);
    assert_eq!(app.stock_of(&product, &skus[1]).await, 4);

    app.set_price(&skus[0], 99_900).await;
    let later = app.order(&buyer, order["id"].as_str().unwrap()).await;
    assert_eq!(
        later["items"][0]["unitPrice"]["amount"], "199900",
        "the snapshot stays"
    );
    assert_eq!(later["total"], order["total"]);
}

#[tokio::test]
async fn the_same_idempotency_key_returns_the_first_order() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Mug", &[("white", 1_500, 10)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let input = json!({ "lines": [{ "skuId": skus[0], "quantity": 3 }],
        "shippingAddress": address(), "idempotencyKey": new_key() });
    let replies =
        futures::future::join_all((0..5).map(|_| app.place_order(&buyer, input.clone()))).await;
    let first = &replies[0]["order"]["id"];
    assert!(first.is_string(), "{}", replies[0]);
    for reply in &replies {
        assert_eq!(&reply["order"]["id"], first, "{reply}");
    }
    assert_eq!(app.stock_of(&product, &skus[0]).await, 7, "reserved once");
    // The same key from another buyer is another order.
    let other = app
        .place_order(&app.tokens.customer("buyer-2"), input)
        .await;
    assert_ne!(&other["order"]["id"], first);
}

#[tokio::test]
async fn out_of_stock_names_the_sku_and_reserves_nothing() {
    let app = spawn_app().await;
    let (product, skus) = app
        .product("Lamp", &[("small", 5_000, 5), ("big", 9_000, 1)])
        .await;
    let buyer = app.tokens.customer("buyer-1");
    let reply = app
        .place_order(&buyer, json!({ "lines": [{ "skuId": skus[0], "quantity": 2 }, { "skuId": skus[1], "quantity": 2 }],
            "shippingAddress": address(), "idempotencyKey": new_key() }))
        .await;
    assert_eq!(reply["order"], json!(null));
    assert_eq!(reply["errors"][0]["code"], "OUT_OF_STOCK");
    assert!(
        reply["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&skus[1]),
        "{reply}"
    );
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);
    assert_eq!(app.stock_of(&product, &skus[1]).await, 1);
    assert_eq!(app.order_edges(&buyer).await, json!([]));
}

#[tokio::test]
async fn bad_checkouts_are_typed_errors_and_write_nothing() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Pen", &[("blue", 300, 10)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let line = |q: i64| json!([{ "skuId": skus[0], "quantity": q }]);
    let many: Vec<_> = (0..51)
        .map(|i| json!({ "skuId": format!("sku-{i}"), "quantity": 1 }))
        .collect();
    let mut bad_address = address();
    bad_address["country"] = json!("China");
    let cases = [
        (
            json!({ "lines": [], "shippingAddress": address(), "idempotencyKey": new_key() }),
            "EMPTY_ORDER",
        ),
        (
            json!({ "shippingAddress": address(), "idempotencyKey": new_key() }),
            "EMPTY_ORDER",
        ),
        (
            json!({ "fromCart": true, "shippingAddress": address(), "idempotencyKey": new_key() }),
            "EMPTY_ORDER",
        ),
        (
            json!({ "lines": many, "shippingAddress": address(), "idempotencyKey": new_key() }),
            "TOO_MANY_LINES",
        ),
        (
            json!({ "lines": line(0), "shippingAddress": address(), "idempotencyKey": new_key() }),
            "INVALID_QUANTITY",
        ),
        (
            json!({ "lines": line(-2), "shippingAddress": address(), "idempotencyKey": new_key() }),
            "INVALID_QUANTITY",
        ),
        (
            json!({ "lines": [{ "skuId": "no-such-sku", "quantity": 1 }], "shippingAddress": address(), "idempotencyKey": new_key() }),
            "UNKNOWN_SKU",
        ),
        (
            json!({ "lines": line(1), "shippingAddress": bad_address, "idempotencyKey": new_key() }),
            "INVALID_ADDRESS",
        ),
        (
            json!({ "lines": line(1), "shippingAddress": address(), "idempotencyKey": "x" }),
            "INVALID_IDEMPOTENCY_KEY",
        ),
        (
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }, { "skuId": skus[0], "quantity": 1 }], "shippingAddress": address(), "idempotencyKey": new_key() }),
            "DUPLICATE_SKU",
        ),
    ];
    for (input, code) in cases {
        let reply = app.place_order(&buyer, input.clone()).await;
        assert_eq!(reply["errors"][0]["code"], code, "{input} → {reply}");
        assert_eq!(reply["order"], json!(null));
    }
    assert_eq!(app.stock_of(&product, &skus[0]).await, 10);
    let counts = app
        .data("{ orderCounts { status count } }", json!({}), Some(&buyer))
        .await;
    assert!(
        counts["orderCounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["count"] == 0),
        "{counts}"
    );
    let anonymous = app
        .graphql("mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { errors { code } } }",
            json!({ "i": { "lines": line(1), "shippingAddress": address(), "idempotencyKey": new_key() } }), None)
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn buyers_see_only_their_own_orders_and_admins_see_all() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Cup", &[("red", 800, 20)]).await;
    let alice = app.tokens.customer("alice");
    let bob = app.tokens.customer("bob");
    let order = app.order_of(&alice, &[(&skus[0], 1)]).await;
    app.order_of(&alice, &[(&skus[0], 2)]).await;
    app.order_of(&bob, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap();
    assert_eq!(app.order(&bob, id).await, json!(null));
    let cancel = app
        .transition(&bob, "cancelOrder", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(cancel["errors"][0]["code"], "ORDER_NOT_FOUND");
    assert_eq!(app.order(&app.tokens.admin(), id).await["id"], id);

    let page = app.data("{ orders(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", json!({}), Some(&alice)).await;
    assert_eq!(page["orders"]["pageInfo"]["hasNextPage"], true);
    let next = app
        .data("query($a: String) { orders(first: 1, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }",
            json!({ "a": page["orders"]["pageInfo"]["endCursor"] }), Some(&alice))
        .await;
    assert_eq!(
        next["orders"]["edges"][0]["node"]["id"], id,
        "oldest second"
    );
    assert_eq!(next["orders"]["pageInfo"]["hasNextPage"], false);

    let all = app
        .data(
            "{ adminOrders(status: PENDING_PAYMENT) { edges { node { id } } } }",
            json!({}),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(all["adminOrders"]["edges"].as_array().unwrap().len(), 3);
    let by_user = app
        .data(
            "{ adminOrders(userId: \"bob\") { edges { node { id } } } }",
            json!({}),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(by_user["adminOrders"]["edges"].as_array().unwrap().len(), 1);
    let refused = app
        .graphql(
            "{ adminOrders { edges { node { id } } } }",
            json!({}),
            Some(&alice),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let counts = app
        .data("{ orderCounts { status count } }", json!({}), Some(&alice))
        .await;
    let pending = counts["orderCounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "PENDING_PAYMENT")
        .cloned();
    assert_eq!(pending.unwrap()["count"], 2);

    let entities = app
        .data("query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders { edges { node { id } } } } ... on Order { id number } } }",
            json!({ "r": [{ "__typename": "User", "id": "alice" }, { "__typename": "Order", "id": id }] }), Some(&alice))
        .await;
    assert_eq!(
        entities["_entities"][0]["orders"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(entities["_entities"][1]["id"], id);
    let foreign = app
        .graphql("query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders { edges { node { id } } } } } }",
            json!({ "r": [{ "__typename": "User", "id": "alice" }] }), Some(&bob))
        .await;
    assert_eq!(foreign["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn a_total_past_32_bits_is_priced_and_paid_exactly() {
    let app = spawn_app().await;
    // 12,345,678.91 yuan: two cost more than GraphQL's 32-bit Int holds.
    let (_, skus) = app
        .product("金条 Gold bar", &[("1kg", 1_234_567_891, 5)])
        .await;
    let buyer = app.tokens.customer("buyer-1");
    let cart = app
        .data(
            "mutation($s: ID!) { addToCart(skuId: $s, quantity: 2) { cart { total { amount } } } }",
            json!({ "s": skus[0] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(cart["addToCart"]["cart"]["total"]["amount"], "2469135782");
    let order = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    assert_eq!(
        order["total"],
        json!({ "amount": "2469135782", "currency": "CNY" })
    );
    let payment = app.pay(&buyer, order["id"].as_str().unwrap()).await;
    assert_eq!(payment["amount"]["amount"], "2469135782");
}
