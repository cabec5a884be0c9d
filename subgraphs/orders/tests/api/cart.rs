//! The cart: add, change, remove, clear, priced live from the catalog, and
//! checkout from it.

use serde_json::{Value, json};

use crate::helpers::{TestApp, address, new_key, spawn_app};

const CART: &str = "cart { itemCount total { amount currency } lines { skuId product { id } productName skuName quantity unitPrice { amount } lineTotal { amount } available } }";

async fn add_to_cart(app: &TestApp, token: &str, sku: &str, quantity: i64) -> Value {
    let data = app
        .data(
            &format!("mutation($s: ID!, $q: Int!) {{ addToCart(skuId: $s, quantity: $q) {{ {CART} errors {{ code field message }} }} }}"),
            json!({ "s": sku, "q": quantity }),
            Some(token),
        )
        .await;
    data["addToCart"].clone()
}

#[tokio::test]
async fn a_cart_holds_lines_priced_by_the_catalog() {
    let app = spawn_app().await;
    let (product, skus) = app
        .product("Tea", &[("green", 2_000, 10), ("black", 3_000, 1)])
        .await;
    let buyer = app.tokens.customer("buyer-1");
    add_to_cart(&app, &buyer, &skus[0], 2).await;
    add_to_cart(&app, &buyer, &skus[0], 1).await;
    let reply = add_to_cart(&app, &buyer, &skus[1], 2).await;
    assert_eq!(reply["errors"], json!([]), "{reply}");
    let cart = &reply["cart"];
    assert_eq!(cart["itemCount"], 5);
    assert_eq!(
        cart["total"],
        json!({ "amount": "12000", "currency": "CNY" })
    );
    assert_eq!(cart["lines"][0]["quantity"], 3);
    assert_eq!(cart["lines"][0]["product"]["id"], product.as_str());
    assert_eq!(cart["lines"][0]["productName"], "Tea");
    assert_eq!(cart["lines"][0]["skuName"], "green");
    assert_eq!(cart["lines"][0]["lineTotal"]["amount"], "6000");
    assert_eq!(cart["lines"][0]["available"], true);
    assert_eq!(
        cart["lines"][1]["available"], false,
        "only one black tea in stock"
    );

    app.set_price(&skus[0], 2_500).await;
    let priced = app
        .data(&format!("{{ {CART} }}"), json!({}), Some(&buyer))
        .await;
    assert_eq!(
        priced["cart"]["lines"][0]["unitPrice"]["amount"], "2500",
        "live prices"
    );

    let unknown_sku = uuid::Uuid::new_v4().to_string();
    for (sku, quantity, code) in [
        (skus[0].as_str(), 0, "INVALID_QUANTITY"),
        (skus[0].as_str(), 100, "INVALID_QUANTITY"),
        ("no-such-sku", 1, "UNKNOWN_SKU"),
        (unknown_sku.as_str(), 1, "UNKNOWN_SKU"),
    ] {
        let reply = add_to_cart(&app, &buyer, sku, quantity).await;
        assert_eq!(
            reply["errors"][0]["code"], code,
            "{sku} x{quantity}: {reply}"
        );
        assert_eq!(reply["cart"], json!(null));
    }
    let unchanged = app
        .data(&format!("{{ {CART} }}"), json!({}), Some(&buyer))
        .await;
    assert_eq!(
        unchanged["cart"]["itemCount"], 5,
        "refused changes write nothing"
    );
}

#[tokio::test]
async fn cart_lines_change_and_checkout_empties_the_cart() {
    let app = spawn_app().await;
    let (product, skus) = app
        .product("Rice", &[("5kg", 6_000, 10), ("10kg", 11_000, 10)])
        .await;
    let buyer = app.tokens.customer("buyer-1");
    for sku in &skus {
        app.data(
            "mutation($s: ID!) { addToCart(skuId: $s, quantity: 2) { errors { code } } }",
            json!({ "s": sku }),
            Some(&buyer),
        )
        .await;
    }
    let update = app
        .data(&format!("mutation($s: ID!) {{ updateCartLine(skuId: $s, quantity: 4) {{ {CART} errors {{ code }} }} }}"),
            json!({ "s": skus[1] }), Some(&buyer))
        .await;
    assert_eq!(update["updateCartLine"]["cart"]["itemCount"], 6);
    let missing = app
        .data(
            "mutation { removeFromCart(skuId: \"nope\") { errors { code } } }",
            json!({}),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        missing["removeFromCart"]["errors"][0]["code"],
        "NOT_IN_CART"
    );
    let removed = app
        .data(
            &format!("mutation($s: ID!) {{ removeFromCart(skuId: $s) {{ {CART} }} }}"),
            json!({ "s": skus[0] }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        removed["removeFromCart"]["cart"]["lines"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let placed = app
        .place_order(
            &buyer,
            json!({ "fromCart": true, "shippingAddress": address(), "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(placed["errors"], json!([]), "{placed}");
    assert_eq!(placed["order"]["items"][0]["quantity"], 4);
    assert_eq!(app.stock_of(&product, &skus[1]).await, 6);
    let cart = app
        .data(&format!("{{ {CART} }}"), json!({}), Some(&buyer))
        .await;
    assert_eq!(cart["cart"]["lines"], json!([]));
    assert_eq!(cart["cart"]["total"], json!(null));

    app.data(
        "mutation($s: ID!) { addToCart(skuId: $s, quantity: 1) { errors { code } } }",
        json!({ "s": skus[0] }),
        Some(&buyer),
    )
    .await;
    let cleared = app
        .data(
            &format!("mutation {{ clearCart {{ {CART} }} }}"),
            json!({}),
            Some(&buyer),
        )
        .await;
    assert_eq!(cleared["clearCart"]["cart"]["itemCount"], 0);
    let other = app
        .data(
            &format!("{{ {CART} }}"),
            json!({}),
            Some(&app.tokens.customer("someone-else")),
        )
        .await;
    assert_eq!(other["cart"]["lines"], json!([]), "carts are per user");
}
