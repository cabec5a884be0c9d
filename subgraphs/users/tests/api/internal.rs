//! `GET /internal/users/{userId}/addresses/{addressId}`: the address lookup
//! the orders service makes at checkout, guarded by the internal token.

use contracts::address::Address;
use platform::testing::fresh_database_url;
use reqwest::StatusCode;
use serde_json::{Value, json};
use users::Settings;

use crate::helpers::{TestApp, all_engines, spawn_with};

const TOKEN: &str = "users-internal-test-token";

const ADD: &str = "mutation($input: AddressInput!) { addAddress(input: $input) \
    { address { id } errors { code field } } }";

async fn spawn(engine: platform::testing::TestEngine) -> TestApp {
    let url = fresh_database_url(engine).await.expect("a fresh database");
    let mut settings = Settings::with_database(url);
    settings.internal_token = TOKEN.into();
    spawn_with(settings).await
}

async fn add_address(app: &TestApp, token: &str, input: Value) -> String {
    let body = app.gql(ADD, json!({ "input": input }), Some(token)).await;
    let payload = &body["data"]["addAddress"];
    assert_eq!(payload["errors"], json!([]), "{body}");
    payload["address"]["id"]
        .as_str()
        .expect("an address id")
        .to_owned()
}

async fn lookup(
    app: &TestApp,
    user_id: &str,
    address_id: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!(
        "{}/internal/users/{user_id}/addresses/{address_id}",
        app.base
    ));
    if let Some(token) = token {
        request = request.header("x-internal-token", token);
    }
    request.send().await.expect("the request is sent")
}

#[tokio::test]
async fn internal_lookup_returns_the_owners_address() {
    for engine in all_engines() {
        let app = spawn(engine).await;
        let (_, alice) = app.new_customer("alice").await;
        let id = add_address(
            &app,
            &alice.access,
            json!({ "recipient": "Li Lei", "phone": "+86 21 1234 5678",
                    "line1": "1 Nanjing Road", "line2": "Flat 3", "city": "上海",
                    "region": "Shanghai", "postalCode": "200000", "country": "cn" }),
        )
        .await;

        let response = lookup(&app, &alice.user_id, &id, Some(TOKEN)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let address: Address = response.json().await.expect("an address");
        assert_eq!(
            address,
            Address {
                id: id.clone(),
                user_id: alice.user_id.clone(),
                recipient: "Li Lei".into(),
                phone: Some("+86 21 1234 5678".into()),
                line1: "1 Nanjing Road".into(),
                line2: Some("Flat 3".into()),
                city: "上海".into(),
                region: Some("Shanghai".into()),
                postal_code: Some("200000".into()),
                country: "CN".into(),
                // The first address of a book is its default.
                is_default: true,
            }
        );
    }
}

#[tokio::test]
async fn internal_lookup_hides_unknown_and_foreign_addresses() {
    for engine in all_engines() {
        let app = spawn(engine).await;
        let (_, alice) = app.new_customer("alice").await;
        let (_, bob) = app.new_customer("bob").await;
        let alices = add_address(
            &app,
            &alice.access,
            json!({ "recipient": "Alice", "line1": "1 Road", "city": "Beijing", "country": "CN" }),
        )
        .await;

        for (user_id, address_id) in [
            (bob.user_id.as_str(), alices.as_str()),
            (
                alice.user_id.as_str(),
                "00000000-0000-0000-0000-000000000000",
            ),
            ("no-such-user", alices.as_str()),
        ] {
            let response = lookup(&app, user_id, address_id, Some(TOKEN)).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
            let body: Value = response.json().await.expect("a JSON body");
            assert_eq!(body, json!({ "code": "UNKNOWN_ADDRESS" }));
        }
    }
}

#[tokio::test]
async fn internal_lookup_needs_the_internal_token() {
    let engine = all_engines()[0];
    let app = spawn(engine).await;
    let (_, alice) = app.new_customer("alice").await;
    let id = add_address(
        &app,
        &alice.access,
        json!({ "recipient": "Alice", "line1": "1 Road", "city": "Beijing", "country": "CN" }),
    )
    .await;
    for token in [None, Some("wrong"), Some(""), Some(&alice.access[..])] {
        let response = lookup(&app, &alice.user_id, &id, token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(body["code"], "UNAUTHORIZED");
    }
    // The same request with the token gets through.
    let response = lookup(&app, &alice.user_id, &id, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
}
