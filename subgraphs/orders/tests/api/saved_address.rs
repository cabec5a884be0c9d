//! placeOrder with `addressId`: the address is read from a real users
//! service before any stock is reserved, and the order keeps a copy.

use platform::testing::post_graphql;
use serde_json::{Value, json};

use crate::helpers::{TestApp, address, new_key, spawn_app};

/// A user signed up at the users service: its id and users-issued token.
async fn sign_up(app: &TestApp, name: &str) -> (String, String) {
    let email = format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = users_gql(
        app,
        "mutation($input: SignUpInput!) { signUp(input: $input) \
         { accessToken user { id } errors { code } } }",
        json!({ "input": { "email": email, "name": name, "password": "s3cret-pass" } }),
        None,
    )
    .await;
    let payload = &body["data"]["signUp"];
    assert_eq!(payload["errors"], json!([]), "{body}");
    (
        payload["user"]["id"]
            .as_str()
            .expect("a user id")
            .to_owned(),
        payload["accessToken"].as_str().expect("a token").to_owned(),
    )
}

async fn users_gql(app: &TestApp, query: &str, variables: Value, token: Option<&str>) -> Value {
    post_graphql(&app.client, &app.users_address, query, variables, token)
        .await
        .expect("a JSON response from the users service")
}

/// Saves `input` in the address book of the holder of `users_token`.
async fn save_address(app: &TestApp, users_token: &str, input: Value) -> String {
    let body = users_gql(
        app,
        "mutation($input: AddressInput!) { addAddress(input: $input) \
         { address { id } errors { code field } } }",
        json!({ "input": input }),
        Some(users_token),
    )
    .await;
    let payload = &body["data"]["addAddress"];
    assert_eq!(payload["errors"], json!([]), "{body}");
    payload["address"]["id"]
        .as_str()
        .expect("an address id")
        .to_owned()
}

fn home() -> Value {
    json!({ "recipient": "Li Lei", "phone": "+86 21 1234 5678", "line1": "1 Nanjing Road",
            "line2": "Flat 3", "city": "上海", "region": "Shanghai", "postalCode": "200000",
            "country": "cn" })
}

fn codes(payload: &Value) -> Vec<(String, String)> {
    payload["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors list in {payload}"))
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_owned(),
                e["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_order_keeps_a_copy_of_the_saved_address() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Lamp", &[("red", 5_000, 10)]).await;
    let (user_id, users_token) = sign_up(&app, "lilei").await;
    let address_id = save_address(&app, &users_token, home()).await;
    let buyer = app.tokens.customer(&user_id);

    let placed = app
        .place_order(
            &buyer,
            json!({ "lines": [{ "skuId": skus[0], "quantity": 2 }],
                    "addressId": address_id, "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(placed["errors"], json!([]), "{placed}");
    let order_id = placed["order"]["id"].as_str().expect("an order").to_owned();
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);

    // The buyer moves; the order still ships where it was placed to.
    let moved = users_gql(
        &app,
        "mutation($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) \
         { errors { code } } }",
        json!({ "id": address_id, "input": { "city": "北京", "line1": "2 Chang'an Avenue" } }),
        Some(&users_token),
    )
    .await;
    assert_eq!(
        moved["data"]["updateAddress"]["errors"],
        json!([]),
        "{moved}"
    );
    let order = app
        .data(
            "query($id: ID!) { order(id: $id) { shippingAddress { recipient phone line1 line2 \
             city postalCode country } } }",
            json!({ "id": order_id }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        order["order"]["shippingAddress"],
        json!({ "recipient": "Li Lei", "phone": "+86 21 1234 5678", "line1": "1 Nanjing Road",
                "line2": "Flat 3", "city": "上海", "postalCode": "200000", "country": "CN" })
    );
}

#[tokio::test]
async fn an_unknown_or_foreign_address_is_refused_and_reserves_nothing() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Kettle", &[("steel", 9_900, 5)]).await;
    let (alice_id, alice_token) = sign_up(&app, "alice").await;
    let (bob_id, _) = sign_up(&app, "bob").await;
    let alices = save_address(&app, &alice_token, home()).await;
    let bob = app.tokens.customer(&bob_id);

    for address_id in [
        alices.as_str(),
        "00000000-0000-7000-8000-000000000000",
        "../../../health",
    ] {
        let refused = app
            .place_order(
                &bob,
                json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }],
                        "addressId": address_id, "idempotencyKey": new_key() }),
            )
            .await;
        assert_eq!(refused["order"], Value::Null, "{refused}");
        assert_eq!(
            codes(&refused),
            [("UNKNOWN_ADDRESS".to_owned(), "addressId".to_owned())],
            "{address_id}: {refused}"
        );
    }
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        5,
        "nothing reserved"
    );
    let orders = app
        .data(
            "{ orders(first: 10) { edges { node { id } } } }",
            json!({}),
            Some(&bob),
        )
        .await;
    assert_eq!(orders["orders"]["edges"], json!([]), "nothing written");

    // Alice herself can ship there.
    let placed = app
        .place_order(
            &app.tokens.customer(&alice_id),
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }],
                    "addressId": alices, "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(placed["errors"], json!([]), "{placed}");
}

#[tokio::test]
async fn a_saved_address_without_phone_or_postal_code_cannot_be_shipped_to() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Pen", &[("blue", 300, 5)]).await;
    let (user_id, users_token) = sign_up(&app, "hanmeimei").await;
    let bare = save_address(
        &app,
        &users_token,
        json!({ "recipient": "Han Meimei", "line1": "3 Road", "city": "Beijing", "country": "CN" }),
    )
    .await;
    let refused = app
        .place_order(
            &app.tokens.customer(&user_id),
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }],
                    "addressId": bare, "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(
        codes(&refused),
        [("INCOMPLETE_ADDRESS".to_owned(), "addressId".to_owned())],
        "{refused}"
    );
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);
}

#[tokio::test]
async fn exactly_one_of_address_id_and_shipping_address_is_given() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Cup", &[("green", 800, 5)]).await;
    let (user_id, users_token) = sign_up(&app, "lucy").await;
    let saved = save_address(&app, &users_token, home()).await;
    let buyer = app.tokens.customer(&user_id);
    let lines = json!([{ "skuId": skus[0], "quantity": 1 }]);

    let both = app
        .place_order(
            &buyer,
            json!({ "lines": lines, "addressId": saved, "shippingAddress": address(),
                    "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(
        codes(&both),
        [("INVALID_ADDRESS".to_owned(), "addressId".to_owned())],
        "{both}"
    );
    let neither = app
        .place_order(
            &buyer,
            json!({ "lines": lines, "idempotencyKey": new_key() }),
        )
        .await;
    assert_eq!(
        codes(&neither),
        [("MISSING_ADDRESS".to_owned(), "addressId".to_owned())],
        "{neither}"
    );
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);
}
