//! `@authenticated` and `@requiresScopes` at the router, and tokens that do
//! not verify: denied with a clean error, and nothing written.

use base64::{
    Engine as _, engine::general_purpose::STANDARD, engine::general_purpose::URL_SAFE_NO_PAD,
};
use platform::{
    auth::{Claims, ISSUER, SigningKey},
    db::Db,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, GraphQLResponse, TestPlatform};

const DENIED: [&str; 3] = ["UNAUTHORIZED_FIELD_OR_TYPE", "FORBIDDEN", "UNAUTHENTICATED"];

fn assert_denied(response: &GraphQLResponse, field: &str) {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let codes = response.error_codes();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| DENIED.contains(&c.as_str())),
        "expected a denial, got {}",
        response.body
    );
    assert!(
        response.body["data"].is_null() || response.body["data"][field].is_null(),
        "{field} answered: {}",
        response.body
    );
}

const CREATE_PRODUCT: &str = "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code message } } }";

async fn products_of_brand(platform: &TestPlatform, brand: &str) -> Vec<Value> {
    let response = platform
        .graphql(
            "query($brand: String) { products(first: 10, filter: { brand: $brand }) { nodes { id name } } }",
            json!({ "brand": brand }),
            None,
        )
        .await;
    response.data()["products"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn new_product(platform_category: &Value, name: &str, brand: &str) -> Value {
    json!({ "input": {
        "categoryId": platform_category,
        "name": name,
        "brand": brand,
        "skus": [{ "name": "Standard", "price": 1999, "stock": 3 }]
    } })
}

#[tokio::test]
async fn scopes_are_enforced_at_the_router_and_nothing_is_written() {
    let platform = TestPlatform::spawn().await;
    let customer = platform.customer_token().await;
    let admin = platform.admin_token().await;
    let categories = platform
        .graphql("{ categories { id } }", json!({}), None)
        .await;
    let category = categories.data()["categories"][0]["id"].clone();
    let brand = "E2E Scope Brand";

    // A customer creating a product.
    let denied = platform
        .graphql(
            CREATE_PRODUCT,
            new_product(&category, "Forbidden widget", brand),
            Some(&customer),
        )
        .await;
    assert_denied(&denied, "createProduct");
    assert_eq!(
        products_of_brand(&platform, brand).await,
        Vec::<Value>::new()
    );

    // A customer listing users, next to a field they may read: the rest of
    // the query still answers unless the denied field is non-null.
    let listing = platform
        .graphql(
            "{ users(first: 5) { nodes { id email } } }",
            json!({}),
            Some(&customer),
        )
        .await;
    assert_denied(&listing, "users");
    assert!(
        !listing.body.to_string().contains(ADMIN_EMAIL),
        "{}",
        listing.body
    );

    // A customer freezing the admin: denied, and the admin still logs in.
    let admin_id = platform
        .graphql("{ me { id } }", json!({}), Some(&admin))
        .await
        .data()["me"]["id"]
        .clone();
    let freeze = platform
        .graphql(
            "mutation($id: ID!) { freezeUser(id: $id) { user { frozen } errors { code } } }",
            json!({ "id": admin_id }),
            Some(&customer),
        )
        .await;
    assert_denied(&freeze, "freezeUser");
    platform.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // A customer reading every order.
    let orders = platform
        .graphql(
            "{ adminOrders(first: 5) { nodes { id } } }",
            json!({}),
            Some(&customer),
        )
        .await;
    assert_denied(&orders, "adminOrders");

    // Anonymous `me`; a field without a directive next to it still answers.
    let anonymous = platform
        .graphql("{ me { id email } categories { id } }", json!({}), None)
        .await;
    assert_eq!(anonymous.status, StatusCode::OK, "{}", anonymous.body);
    assert!(anonymous.body["data"]["me"].is_null(), "{}", anonymous.body);
    assert!(
        anonymous.body["data"]["categories"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "{}",
        anonymous.body
    );
    let codes = anonymous.error_codes();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| DENIED.contains(&c.as_str())),
        "{}",
        anonymous.body
    );

    // The admin may do all of it: the denials above were about scopes.
    let created = platform
        .graphql(
            CREATE_PRODUCT,
            new_product(&category, "Allowed widget", brand),
            Some(&admin),
        )
        .await;
    assert_eq!(
        created.data()["createProduct"]["errors"],
        json!([]),
        "{}",
        created.body
    );
    let found = products_of_brand(&platform, brand).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["name"], "Allowed widget");
    let listing = platform
        .graphql(
            "{ users(first: 5) { nodes { email } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert!(
        listing.data().to_string().contains(ADMIN_EMAIL),
        "{}",
        listing.body
    );
}

/// The users service's own signing key, read from its database: it signs a
/// token that differs from a real one only in what the test chooses.
async fn users_signing_key(platform: &TestPlatform) -> SigningKey {
    let db = Db::connect(&platform.databases.users)
        .await
        .expect("the users database");
    let row = sqlx::query("SELECT signing_key_id, pkcs8 FROM signing_key WHERE slot = 'current'")
        .fetch_one(db.pool())
        .await
        .expect("the users service stored its key");
    let kid: String = row.get("signing_key_id");
    let pkcs8: String = row.get("pkcs8");
    let pkcs8 = STANDARD.decode(pkcs8).expect("base64");
    SigningKey::from_pkcs8(kid, pkcs8).expect("a key")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn admin_claims(sub: &str, iat: i64, exp: i64) -> Claims {
    Claims {
        sub: sub.to_owned(),
        iss: ISSUER.to_owned(),
        iat,
        exp,
        scope: "customer admin".to_owned(),
    }
}

#[tokio::test]
async fn tokens_that_do_not_verify_get_a_clean_unauthenticated() {
    let platform = TestPlatform::spawn().await;
    let customer = platform.customer_token().await;
    let me = platform
        .graphql("{ me { id } }", json!({}), Some(&customer))
        .await;
    let customer_id = me.data()["me"]["id"].as_str().expect("an id").to_owned();
    let categories = platform
        .graphql("{ categories { id } }", json!({}), None)
        .await;
    let category = categories.data()["categories"][0]["id"].clone();

    // The customer's own token with its payload rewritten to claim admin.
    let mut parts: Vec<String> = customer.split('.').map(str::to_owned).collect();
    assert_eq!(parts.len(), 3, "a JWT");
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("base64url"))
            .expect("JSON");
    claims["scope"] = json!("customer admin");
    parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
    let tampered = parts.join(".");

    let foreign = SigningKey::generate()
        .expect("a key")
        .sign(&admin_claims(&customer_id, now(), now() + 600))
        .expect("signed");
    let expired = users_signing_key(&platform)
        .await
        .sign(&admin_claims(&customer_id, now() - 3600, now() - 600))
        .expect("signed");

    let brand = "E2E Forged Brand";
    for (what, token) in [
        ("garbage", "not-a-jwt".to_owned()),
        ("tampered payload", tampered),
        ("signed by another key", foreign),
        ("expired", expired),
    ] {
        let response = platform
            .graphql(
                CREATE_PRODUCT,
                new_product(&category, "Forged widget", brand),
                Some(&token),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{what}: {}",
            response.body
        );
        assert_eq!(
            response.error_codes(),
            ["UNAUTHENTICATED"],
            "{what}: {}",
            response.body
        );
        assert!(response.body["data"].is_null(), "{what}: {}", response.body);
    }
    assert_eq!(
        products_of_brand(&platform, brand).await,
        Vec::<Value>::new()
    );

    // A well-signed, current admin claim from the real key does work: the
    // refusals above were about the tokens, not the request.
    let fresh = users_signing_key(&platform)
        .await
        .sign(&admin_claims(&customer_id, now(), now() + 600))
        .expect("signed");
    let response = platform
        .graphql("{ me { id } }", json!({}), Some(&fresh))
        .await;
    assert_eq!(response.data()["me"]["id"], customer_id.as_str());
    platform.assert_serving().await;
}
