//! Bad requests to the router: each gets a GraphQL error response with a
//! 4xx status (never a 5xx), and the router keeps serving everyone else.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{GraphQLResponse, TestPlatform};

#[track_caller]
fn assert_request_error(response: &GraphQLResponse, status: StatusCode, code: &str) {
    assert_eq!(response.status, status, "{}", response.body);
    let codes = response.error_codes();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == code),
        "expected {code}: {}",
        response.body
    );
    let message = &response.body["errors"][0]["message"];
    assert!(
        message.as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        response.body
    );
    assert!(
        response.body.get("data").is_none_or(|d| d.is_null()),
        "{}",
        response.body
    );
}

/// `{ categories { children { children { ... { id } } } } }`, `depth` deep.
fn nested(depth: usize) -> String {
    let mut query = "{ categories { ".to_owned();
    for _ in 1..depth {
        query.push_str("children { ");
    }
    query.push_str("id");
    for _ in 0..depth {
        query.push_str(" }");
    }
    query.push_str(" }");
    query
}

#[tokio::test]
async fn malformed_requests_get_graphql_errors_with_4xx_statuses() {
    let platform = TestPlatform::spawn().await;

    let broken_json = platform
        .post_raw(br#"{"query": "{ categories { id } "#.to_vec(), None)
        .await;
    assert_request_error(&broken_json, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let not_an_object = platform.post_raw(b"[1, 2, 3]".to_vec(), None).await;
    assert_request_error(&not_an_object, StatusCode::BAD_REQUEST, "BAD_REQUEST");

    let no_query = platform.post_json(&json!({ "variables": {} }), None).await;
    assert_request_error(&no_query, StatusCode::BAD_REQUEST, "GRAPHQL_PARSE_FAILED");
    let unparsable = platform
        .graphql("{ products(first: 3) { nodes { id ", json!({}), None)
        .await;
    assert_request_error(&unparsable, StatusCode::BAD_REQUEST, "GRAPHQL_PARSE_FAILED");
    let unknown_field = platform
        .graphql(
            "{ products(first: 3) { nodes { id priceInBitcoin } } }",
            json!({}),
            None,
        )
        .await;
    assert_request_error(
        &unknown_field,
        StatusCode::BAD_REQUEST,
        "GRAPHQL_VALIDATION_FAILED",
    );

    let two_operations = "query A { categories { id } } query B { flashSales { id } }";
    let unknown_name = platform
        .post_json(
            &json!({ "query": two_operations, "operationName": "C" }),
            None,
        )
        .await;
    assert_request_error(
        &unknown_name,
        StatusCode::BAD_REQUEST,
        "GRAPHQL_UNKNOWN_OPERATION_NAME",
    );
    let no_name = platform
        .post_json(&json!({ "query": two_operations }), None)
        .await;
    assert_request_error(
        &no_name,
        StatusCode::BAD_REQUEST,
        "GRAPHQL_UNKNOWN_OPERATION_NAME",
    );
    let named = platform
        .post_json(
            &json!({ "query": two_operations, "operationName": "B" }),
            None,
        )
        .await;
    assert!(named.data()["flashSales"].is_array(), "{}", named.body);

    let by_page = "query($n: Int!) { products(first: $n) { nodes { id } } }";
    let wrong_type = platform.graphql(by_page, json!({ "n": "ten" }), None).await;
    assert_request_error(&wrong_type, StatusCode::BAD_REQUEST, "BAD_USER_INPUT");
    let missing = platform.graphql(by_page, json!({}), None).await;
    assert_request_error(&missing, StatusCode::BAD_REQUEST, "BAD_USER_INPUT");
    let not_a_map = platform
        .post_json(&json!({ "query": by_page, "variables": [3] }), None)
        .await;
    assert_request_error(&not_a_map, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let wrong_input = platform
        .graphql(
            "mutation($input: LoginInput!) { login(input: $input) { accessToken } }",
            json!({ "input": { "email": "a@b.c", "password": 12345 } }),
            None,
        )
        .await;
    assert_request_error(&wrong_input, StatusCode::BAD_REQUEST, "BAD_USER_INPUT");

    let subscription_over_http = platform
        .graphql(
            "subscription { orderStatusChanged(orderId: \"x\") { status } }",
            json!({}),
            None,
        )
        .await;
    assert_request_error(
        &subscription_over_http,
        StatusCode::BAD_REQUEST,
        "SUBSCRIPTION_NOT_SUPPORTED",
    );

    // A cross-site form post (no CORS preflight) is refused before it runs.
    let form = reqwest::Client::new()
        .post(platform.router_url("/graphql"))
        .header("content-type", "text/plain")
        .body(r#"{"query":"mutation { logout(refreshToken: \"x\") { ok } }"}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A mutation over GET is refused.
    let get = reqwest::Client::new()
        .get(platform.router_url("/graphql"))
        .query(&[("query", "mutation { logout(refreshToken: \"x\") { ok } }")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);

    platform.assert_serving().await;
}

#[tokio::test]
async fn oversized_deep_and_alias_bombed_requests_are_refused_and_others_still_served() {
    let platform = TestPlatform::spawn().await;

    // Larger than router.yaml's max_body_bytes (2 MiB).
    let padding = "x".repeat(3 * 1024 * 1024);
    let huge = json!({ "query": "{ categories { id } }", "variables": { "padding": padding } });
    let response = platform.post_json(&huge, None).await;
    assert_request_error(
        &response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );

    // Deeper than max_depth (20), well within the token limit.
    let deep = platform.graphql(&nested(30), json!({}), None).await;
    assert_request_error(&deep, StatusCode::BAD_REQUEST, "OPERATION_LIMIT_EXCEEDED");
    // Within the limit the same shape runs.
    let at_limit = platform.graphql(&nested(5), json!({}), None).await;
    assert!(
        at_limit.data()["categories"].is_array(),
        "{}",
        at_limit.body
    );

    // 10,000 levels: refused while parsing (token limit), not by a stack overflow.
    let very_deep = platform.graphql(&nested(10_000), json!({}), None).await;
    assert!(very_deep.status.is_client_error(), "{}", very_deep.body);
    assert!(
        very_deep
            .error_codes()
            .iter()
            .all(|c| c == "GRAPHQL_PARSE_FAILED" || c == "OPERATION_LIMIT_EXCEEDED"),
        "{}",
        very_deep.body
    );

    // An alias bomb: more aliases than max_aliases (64).
    let aliases: String = (0..500)
        .map(|i| format!("a{i}: categories {{ id }} "))
        .collect();
    let bomb = platform
        .graphql(&format!("{{ {aliases} }}"), json!({}), None)
        .await;
    assert!(bomb.status.is_client_error(), "{}", bomb.body);
    assert_eq!(
        bomb.error_codes(),
        ["OPERATION_LIMIT_EXCEEDED"],
        "{}",
        bomb.body
    );

    // Bad and good requests at once: every good one is answered in full.
    let good = "{ products(first: 3) { nodes { id name salesCount } } }";
    let mut tasks = Vec::new();
    let shared = &platform;
    for i in 0..30 {
        let query = if i % 2 == 0 {
            good.to_owned()
        } else {
            nested(10_000)
        };
        let body = json!({ "query": query });
        tasks.push(async move { shared.post_json(&body, None).await });
    }
    let responses = futures::future::join_all(tasks).await;
    for (i, response) in responses.iter().enumerate() {
        if i % 2 == 0 {
            let nodes = &response.data()["products"]["nodes"];
            assert_eq!(nodes.as_array().map(Vec::len), Some(3), "{}", response.body);
        } else {
            assert!(response.status.is_client_error(), "{}", response.body);
        }
    }
    platform.assert_serving().await;
}
