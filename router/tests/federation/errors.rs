//! Errors: paths, null propagation, partial data, failing subgraphs.

use std::collections::HashMap;

use router::RouterConfig;
use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraphs, dead_url, garbage_url, hanging_url};

fn paths(body: &Value) -> Vec<Value> {
    body["errors"]
        .as_array()
        .map(|errors| errors.iter().map(|e| e["path"].clone()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn entity_errors_are_rebased_and_nulls_propagate_to_the_nearest_nullable_field() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    // u2's non-null nickname fails in accounts: author (User!) → review
    // (Review!) → the nullable `reviews` list of p1 becomes null.
    let (status, body) = router
        .query(
            "{ topProducts(first: 2) { upc reviews { body author { nickname } } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"topProducts": [
            {"upc": "p1", "reviews": null},
            {"upc": "p2", "reviews": [{"body": "Could be better", "author": {"nickname": "aday"}}]}
        ]})
    );
    assert_eq!(
        paths(&body),
        vec![json!([
            "topProducts",
            0,
            "reviews",
            1,
            "author",
            "nickname"
        ])],
        "{body}"
    );
    assert_eq!(body["errors"][0]["message"], "nickname is unavailable");
}

#[tokio::test]
async fn root_field_errors_keep_their_path() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let (status, body) = router
        .query("{ user(id: \"u2\") { name nickname } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], json!({"user": null}));
    assert_eq!(paths(&body), vec![json!(["user", "nickname"])]);
}

#[tokio::test]
async fn non_null_root_field_failure_nulls_the_whole_data() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    // users: [User!]! and nickname: String! fail for u2, up to data.
    let (status, body) = router.query("{ users { nickname } }", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], Value::Null);
    assert_eq!(paths(&body), vec![json!(["users", 1, "nickname"])]);
}

async fn router_with(replace: &str, url: String, timeout_ms: u64) -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let mut urls: HashMap<String, String> = subgraphs.urls();
    urls.insert(replace.to_owned(), url);
    let mut config = RouterConfig::default();
    config.subgraphs.timeout_ms = timeout_ms;
    let router = TestRouter::spawn(urls, config).await;
    (subgraphs, router)
}

async fn assert_partial_data_without_reviews(router: &TestRouter, code: &str) {
    let (status, body) = router
        .query(
            "{ topProducts(first: 2) { name reviews { body } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"topProducts": [
            {"name": "Table", "reviews": null},
            {"name": "Couch", "reviews": null}
        ]})
    );
    assert_eq!(
        paths(&body),
        vec![json!(["topProducts", 0]), json!(["topProducts", 1])]
    );
    for error in body["errors"].as_array().expect("errors") {
        assert_eq!(error["extensions"]["code"], code, "{error}");
        assert_eq!(error["extensions"]["serviceName"], "reviews");
    }
}

#[tokio::test]
async fn partial_data_when_a_subgraph_is_down() {
    let (_subgraphs, router) = router_with("reviews", dead_url().await, 5_000).await;
    assert_partial_data_without_reviews(&router, "SUBREQUEST_HTTP_ERROR").await;
}

#[tokio::test]
async fn partial_data_when_a_subgraph_hangs_past_its_timeout() {
    let (_subgraphs, router) = router_with("reviews", hanging_url().await, 300).await;
    let started = std::time::Instant::now();
    assert_partial_data_without_reviews(&router, "SUBREQUEST_TIMEOUT").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn partial_data_when_a_subgraph_returns_garbage() {
    let (_subgraphs, router) = router_with("reviews", garbage_url().await, 5_000).await;
    assert_partial_data_without_reviews(&router, "SUBREQUEST_MALFORMED_RESPONSE").await;
}

#[tokio::test]
async fn a_failed_root_subgraph_nulls_only_its_fields() {
    let (_subgraphs, router) = router_with("accounts", dead_url().await, 5_000).await;
    let (status, body) = router
        .query("{ me { name } product(upc: \"p3\") { name } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"me": null, "product": {"name": "Chair"}})
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "SUBREQUEST_HTTP_ERROR"
    );
}
