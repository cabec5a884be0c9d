//! A new customer's account, built and read back through the router.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{GraphQLResponse, TestPlatform};

#[tokio::test]
async fn sign_up_log_in_address_favorite_review_and_read_back_through_me() {
    let platform = TestPlatform::spawn().await;
    let email = "li.lei@example.com";
    let (user_id, _) = platform.sign_up(email, "李雷", "correct-horse-9").await;
    let token = platform.login(email, "correct-horse-9").await;

    let added = platform
        .graphql(
            "mutation($input: AddressInput!) { addAddress(input: $input) { address { id city isDefault } errors { code field } } }",
            json!({ "input": {
                "recipient": "李雷", "line1": "88 Nanjing Road", "city": "Shanghai",
                "postalCode": "200001", "country": "CN"
            } }),
            Some(&token),
        )
        .await;
    let address = &added.data()["addAddress"];
    assert_eq!(address["errors"], json!([]), "{address}");
    assert_eq!(
        address["address"]["isDefault"], true,
        "the first address is the default"
    );
    let address_id = address["address"]["id"].clone();

    let (product_id, sku_id) = platform.product_in_stock().await;
    crate::storefront::favorite(&platform, &token, &product_id).await;

    // Only buyers review: buy it first (paid through the sandbox provider).
    // The catalog learns of the purchase from the orders service's event,
    // a moment after the order is paid: until then it says NOT_PURCHASED.
    crate::storefront::buy(&platform, &token, &sku_id, 1, "account-review").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let review = loop {
        let reviewed = platform
            .graphql(
                "mutation($input: AddReviewInput!) { addReview(input: $input) { review { id rating body } errors { code message } } }",
                json!({ "input": { "productId": product_id, "rating": 4, "body": "很好用, works well" } }),
                Some(&token),
            )
            .await;
        let review = reviewed.data()["addReview"].clone();
        let not_yet = review["errors"][0]["code"] == "NOT_PURCHASED";
        if !not_yet || tokio::time::Instant::now() > deadline {
            break review;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(review["errors"], json!([]), "{review}");
    let review_id = review["review"]["id"].clone();

    let me = platform
        .graphql(
            r#"{ me {
                 id email name role
                 addresses { id city }
                 defaultAddress { id }
                 favorites { id reviewCount averageRating reviews { id rating body } }
                 reviews { id rating body }
               } }"#,
            json!({}),
            Some(&token),
        )
        .await;
    let me = &me.data()["me"];
    assert_eq!(me["id"], user_id.as_str());
    assert_eq!(me["email"], email);
    assert_eq!(me["name"], "李雷");
    assert_eq!(me["role"], "CUSTOMER");
    assert_eq!(
        me["addresses"],
        json!([{ "id": address_id, "city": "Shanghai" }])
    );
    assert_eq!(me["defaultAddress"]["id"], address_id);
    let favorites = me["favorites"].as_array().expect("favorites");
    assert_eq!(favorites.len(), 1, "{me}");
    assert_eq!(favorites[0]["id"], product_id.as_str());
    assert_eq!(favorites[0]["reviewCount"], 1, "{me}");
    assert_eq!(favorites[0]["averageRating"], 4.0, "{me}");
    let mine = json!({ "id": review_id, "rating": 4, "body": "很好用, works well" });
    assert_eq!(favorites[0]["reviews"], json!([mine.clone()]), "{me}");
    assert_eq!(me["reviews"], json!([mine]), "{me}");

    // The demo customer sees none of it.
    let other = platform.customer_token().await;
    let theirs = platform
        .graphql(
            "{ me { favorites { id } addresses { id } } }",
            json!({}),
            Some(&other),
        )
        .await;
    let theirs = &theirs.data()["me"];
    assert_eq!(theirs["favorites"], json!([]), "{theirs}");
    let addresses = theirs["addresses"].as_array().expect("addresses");
    assert!(addresses.iter().all(|a| a["id"] != address_id), "{theirs}");
}

#[tokio::test]
async fn freezing_an_account_stops_its_access_token_on_every_subgraph_at_once() {
    let platform = TestPlatform::spawn().await;
    let email = "han.meimei@example.com";
    let (user_id, token) = platform.sign_up(email, "韩梅梅", "correct-horse-9").await;
    let reads = "{ cart { itemCount } me { email favorites { id } } }";
    let before = platform.graphql(reads, json!({}), Some(&token)).await;
    assert_eq!(before.data()["cart"]["itemCount"], 0, "{}", before.body);

    let admin = platform.admin_token().await;
    let frozen = platform
        .graphql(
            "mutation($id: ID!) { freezeUser(id: $id) { user { frozen } errors { code } } }",
            json!({ "id": user_id }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        frozen.data()["freezeUser"]["errors"],
        json!([]),
        "{}",
        frozen.body
    );

    let after = platform.graphql(reads, json!({}), Some(&token)).await;
    assert_eq!(
        after.status, 401,
        "the router refuses it before any subgraph: {}",
        after.body
    );
    assert!(
        after.error_codes().iter().any(|c| c == "UNAUTHENTICATED"),
        "the still unexpired token is refused: {}",
        after.body
    );

    platform
        .graphql(
            "mutation($id: ID!) { unfreezeUser(id: $id) { errors { code } } }",
            json!({ "id": user_id }),
            Some(&admin),
        )
        .await;
    // A token issued after the unfreeze (its iat a later second) passes.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let fresh = platform.login(email, "correct-horse-9").await;
    let again = platform.graphql(reads, json!({}), Some(&fresh)).await;
    assert_eq!(again.data()["cart"]["itemCount"], 0, "{}", again.body);
}

#[tokio::test]
async fn failed_logins_through_the_router_are_throttled_with_a_retry_after() {
    let platform = TestPlatform::spawn().await;
    let email = format!("throttled-{}@example.com", uuid::Uuid::new_v4().simple());
    platform
        .sign_up(&email, "Throttled", "right-password-1")
        .await;
    // The users service's default: five failures per account.
    for _ in 0..5 {
        let wrong = login(&platform, &email, "wrong-password-1").await;
        assert_eq!(
            wrong.data()["login"]["errors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
    }
    let refused = login(&platform, &email, "right-password-1").await;
    assert_eq!(refused.error_codes(), ["RATE_LIMITED"], "{}", refused.body);
    let retry_after = refused.body["errors"][0]["extensions"]["retryAfter"].as_u64();
    assert!(
        retry_after.is_some_and(|s| s > 0 && s <= 900),
        "{}",
        refused.body
    );
}

async fn login(platform: &TestPlatform, email: &str, password: &str) -> GraphQLResponse {
    platform
        .graphql(
            "mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code } } }",
            json!({ "input": { "email": email, "password": password } }),
            None,
        )
        .await
}
