//! Reviews (by buyers, once per product) with threaded replies (by anyone
//! signed in) and rating stats; favorites.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app, spawn_with_broker, test_broker};

const ADD: &str = "mutation($input: AddReviewInput!) { addReview(input: $input) {
  review { id rating body parentId author { id } product { id } } errors { code field } } }";
const REPLY: &str = "mutation($input: ReplyToReviewInput!) { replyToReview(input: $input) {
  review { id rating parentId parent { id } } errors { code field } } }";

async fn product(app: &TestApp) -> String {
    let category = app.create_category("Audio", None).await;
    app.create_product(&category, "耳机 Headphones", &[("Black", 89900, 5)])
        .await
        .0
}

async fn stats(app: &TestApp, id: &str) -> Value {
    app.data(
        "query($id: ID!) { product(id: $id) { averageRating reviewCount
           reviews(first: 10) { id rating body author { id } replies { id body replies { id } } } } }",
        json!({ "id": id }),
        None,
    )
    .await["product"]
        .clone()
}

#[tokio::test]
async fn shoppers_review_reply_and_see_the_average() {
    let app = spawn_with_broker(test_broker().await).await;
    let id = product(&app).await;
    let empty = stats(&app, &id).await;
    assert_eq!(empty["averageRating"], Value::Null);
    assert_eq!(empty["reviewCount"], 0);
    app.buy("alice", &[&id]).await;
    app.buy("bob", &[&id]).await;

    let alice = app.tokens.customer("alice");
    let bob = app.tokens.customer("bob");
    let first = app
        .data(
            ADD,
            json!({ "input": { "productId": id, "rating": 5, "body": "音质很好 Great sound" } }),
            Some(&alice),
        )
        .await;
    assert_eq!(first["addReview"]["review"]["author"]["id"], "alice");
    let review_id = first["addReview"]["review"]["id"].clone();
    app.data(
        ADD,
        json!({ "input": { "productId": id, "rating": 2, "body": "Too heavy" } }),
        Some(&bob),
    )
    .await;

    let reply = app
        .data(
            REPLY,
            json!({ "input": { "reviewId": review_id, "body": "同意 Agreed" } }),
            Some(&bob),
        )
        .await;
    assert_eq!(reply["replyToReview"]["review"]["parentId"], review_id);
    assert_eq!(reply["replyToReview"]["review"]["rating"], Value::Null);
    let reply_id = reply["replyToReview"]["review"]["id"].clone();
    let nested = app
        .data(
            REPLY,
            json!({ "input": { "reviewId": reply_id, "body": "Thanks" } }),
            Some(&alice),
        )
        .await;
    assert_eq!(nested["replyToReview"]["review"]["parent"]["id"], reply_id);

    let shown = stats(&app, &id).await;
    assert_eq!(shown["reviewCount"], 2, "replies are not reviews");
    assert_eq!(shown["averageRating"], 3.5);
    let reviews = shown["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 2);
    let alices = reviews
        .iter()
        .find(|r| r["id"] == review_id)
        .expect("alice's review");
    assert_eq!(alices["replies"][0]["id"], reply_id);
    assert_eq!(
        alices["replies"][0]["replies"].as_array().map(Vec::len),
        Some(1)
    );

    // User.reviews lists what each wrote.
    let users = app
        .data(
            "{ _entities(representations: [{ __typename: \"User\", id: \"alice\" }, { __typename: \"User\", id: \"bob\" }])
               { ... on User { id reviews { id rating } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        users["_entities"][0]["reviews"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        users["_entities"][1]["reviews"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn only_buyers_review_once_each_and_anyone_signed_in_replies() {
    let app = spawn_with_broker(test_broker().await).await;
    let id = product(&app).await;
    let category = app.create_category("Other", None).await;
    let (other, _) = app
        .create_product(&category, "Cable", &[("1m", 1900, 5)])
        .await;
    let review =
        |rating: i64| json!({ "input": { "productId": id, "rating": rating, "body": "ok" } });
    let alice = app.tokens.customer("alice");

    let data = app.data(ADD, review(5), Some(&alice)).await;
    assert_eq!(data["addReview"]["review"], Value::Null);
    assert_eq!(
        data["addReview"]["errors"],
        json!([{ "code": "NOT_PURCHASED", "field": "productId" }])
    );
    // Buying something else does not open this product.
    app.buy("alice", &[&other]).await;
    let data = app.data(ADD, review(5), Some(&alice)).await;
    assert_eq!(data["addReview"]["errors"][0]["code"], "NOT_PURCHASED");
    assert_eq!(stats(&app, &id).await["reviewCount"], 0);

    app.buy("alice", &[&id]).await;
    let data = app.data(ADD, review(5), Some(&alice)).await;
    let review_id = data["addReview"]["review"]["id"].clone();
    assert!(review_id.is_string(), "{data}");

    // A second review is refused, also after buying it again.
    app.buy("alice", &[&id]).await;
    let data = app.data(ADD, review(1), Some(&alice)).await;
    assert_eq!(
        data["addReview"]["errors"],
        json!([{ "code": "ALREADY_REVIEWED", "field": "productId" }])
    );
    let shown = stats(&app, &id).await;
    assert_eq!(shown["reviewCount"], 1);
    assert_eq!(shown["averageRating"], 5.0);

    // Replies stay open: to a non-buyer, and to the reviewer herself.
    for (who, body) in [("carol", "有用吗？ Useful?"), ("alice", "Yes")] {
        let data = app
            .data(
                REPLY,
                json!({ "input": { "reviewId": review_id, "body": body } }),
                Some(&app.tokens.customer(who)),
            )
            .await;
        assert_eq!(data["replyToReview"]["errors"], json!([]), "{who}");
    }
    let shown = stats(&app, &id).await;
    assert_eq!(shown["reviewCount"], 1, "replies are not reviews");
    assert_eq!(
        shown["reviews"][0]["replies"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn bad_reviews_get_typed_errors_and_write_nothing() {
    let app = spawn_app().await;
    let id = product(&app).await;
    let alice = app.tokens.customer("alice");
    for (input, code) in [
        (
            json!({ "productId": id, "rating": 0, "body": "x" }),
            "INVALID_RATING",
        ),
        (
            json!({ "productId": id, "rating": 6, "body": "x" }),
            "INVALID_RATING",
        ),
        (
            json!({ "productId": id, "rating": 3, "body": "" }),
            "INVALID_LENGTH",
        ),
        (
            json!({ "productId": id, "rating": 3, "body": "好".repeat(2001) }),
            "INVALID_LENGTH",
        ),
        (
            json!({ "productId": "no-such-product", "rating": 3, "body": "x" }),
            "NOT_FOUND",
        ),
    ] {
        let data = app.data(ADD, json!({ "input": input }), Some(&alice)).await;
        assert_eq!(data["addReview"]["errors"][0]["code"], code, "{input}");
    }
    let data = app
        .data(
            REPLY,
            json!({ "input": { "reviewId": "no-such-review", "body": "x" } }),
            Some(&alice),
        )
        .await;
    assert_eq!(data["replyToReview"]["errors"][0]["code"], "NOT_FOUND");
    let body = app
        .graphql(
            ADD,
            json!({ "input": { "productId": id, "rating": 3, "body": "x" } }),
            None,
        )
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert_eq!(stats(&app, &id).await["reviewCount"], 0);
}

#[tokio::test]
async fn favorites_are_added_listed_removed_and_private() {
    let app = spawn_app().await;
    let category = app.create_category("Home", None).await;
    let (a, _) = app
        .create_product(&category, "Chair", &[("Black", 12900, 1)])
        .await;
    let (b, _) = app
        .create_product(&category, "Desk", &[("120cm", 89900, 1)])
        .await;
    let alice = app.tokens.customer("alice");
    let add = "mutation($id: ID!) { addFavorite(productId: $id) { favorited product { id } errors { code } } }";
    let remove =
        "mutation($id: ID!) { removeFavorite(productId: $id) { favorited errors { code } } }";
    for id in [&a, &b, &a] {
        let data = app.data(add, json!({ "id": id }), Some(&alice)).await;
        assert_eq!(data["addFavorite"]["favorited"], true);
    }
    let data = app
        .data(add, json!({ "id": "no-such-product" }), Some(&alice))
        .await;
    assert_eq!(data["addFavorite"]["errors"][0]["code"], "NOT_FOUND");

    let favorites = "{ _entities(representations: [{ __typename: \"User\", id: \"alice\" }]) { ... on User { favorites { id name } } } }";
    let data = app.data(favorites, json!({}), Some(&alice)).await;
    let listed: Vec<&str> = data["_entities"][0]["favorites"]
        .as_array()
        .map(|f| f.iter().filter_map(|p| p["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&a.as_str()) && listed.contains(&b.as_str()));

    // Someone else may not read them; an admin may; nobody signed in may not.
    let body = app
        .graphql(favorites, json!({}), Some(&app.tokens.customer("mallory")))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    let body = app.graphql(favorites, json!({}), None).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    let data = app
        .data(favorites, json!({}), Some(&app.tokens.admin()))
        .await;
    assert_eq!(
        data["_entities"][0]["favorites"].as_array().map(Vec::len),
        Some(2)
    );

    let data = app.data(remove, json!({ "id": a }), Some(&alice)).await;
    assert_eq!(data["removeFavorite"]["favorited"], false);
    let data = app.data(favorites, json!({}), Some(&alice)).await;
    assert_eq!(
        data["_entities"][0]["favorites"],
        json!([{ "id": b, "name": "Desk" }])
    );
}
