//! The HTTP surface: bad input gets a GraphQL error with the right status,
//! never a panic; GET serves queries only; limits are enforced.

use router::RouterConfig;
use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraphs, read};

async fn router() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    (subgraphs, router)
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn health_answers_up() {
    let (_s, router) = router().await;
    let response = router
        .client
        .get(format!("{}/health", router.base))
        .send()
        .await
        .expect("health");
    let (status, body) = read(response).await;
    assert_eq!((status, body), (200, json!({"status": "UP"})));
}

#[tokio::test]
async fn malformed_json_is_a_400_graphql_error() {
    let (_s, router) = router().await;
    let response = router
        .client
        .post(router.graphql_url())
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .expect("answer");
    let (status, body) = read(response).await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "BAD_REQUEST");
    assert!(body.get("data").is_none());
}

#[tokio::test]
async fn malformed_graphql_is_a_parse_error() {
    let (subgraphs, router) = router().await;
    let (status, body) = router.query("{ topProducts { name ", json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "GRAPHQL_PARSE_FAILED");
    assert!(subgraphs.products.log.all().is_empty());
}

#[tokio::test]
async fn operations_are_validated_against_the_api_schema() {
    let (subgraphs, router) = router().await;
    for query in [
        "{ topProducts { colour } }",
        // @inaccessible in the supergraph: not part of the API.
        "{ users { birthYear } }",
        // join__ machinery is not part of the API either.
        "{ __type(name: \"join__Graph\") { name } product(upc: 1) { name } }",
    ] {
        let (status, body) = router.query(query, json!({})).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    }
    assert!(subgraphs.products.log.all().is_empty());
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn unknown_operation_name_is_rejected() {
    let (_s, router) = router().await;
    let (status, body) = router
        .post_json(&json!({
            "query": "query A { users { id } } query B { reviews { id } }",
            "operationName": "C"
        }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "GRAPHQL_UNKNOWN_OPERATION_NAME");
    let (status, body) = router
        .post_json(&json!({
            "query": "query A { users { id } } query B { reviews { id } }",
            "operationName": "B"
        }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["reviews"][0]["id"], "r1");
}

#[tokio::test]
async fn wrong_or_missing_variables_are_rejected_before_any_fetch() {
    let (subgraphs, router) = router().await;
    let query = "query($upc: String!, $n: Int) { product(upc: $upc) { name } topProducts(first: $n) { upc } }";
    for variables in [
        json!({"upc": 12}),
        json!({}),
        json!({"upc": "p1", "n": "three"}),
        json!([1, 2]),
    ] {
        let (status, body) = router.query(query, variables.clone()).await;
        assert_eq!(status, 400, "{variables}: {body}");
        assert!(body.get("data").is_none());
    }
    assert!(subgraphs.products.log.all().is_empty());
    let (status, body) = router.query(query, json!({"upc": "p1", "n": 1})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"product": {"name": "Table"}, "topProducts": [{"upc": "p1"}]})
    );
}

#[tokio::test]
async fn get_serves_queries_with_json_variables() {
    // Mutations over GET: over_http::get_refuses_mutations_with_405_and_allow_post.
    let (subgraphs, router) = router().await;
    let response = router
        .client
        .get(router.graphql_url())
        .query(&[
            ("query", "query($id: ID!) { user(id: $id) { name } }"),
            ("variables", "{\"id\": \"u3\"}"),
        ])
        .send()
        .await
        .expect("answer");
    let (status, body) = read(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["user"]["name"], "Grace");
    assert_eq!(subgraphs.accounts.log.all().len(), 1);
}

#[tokio::test]
async fn mutations_are_routed_with_post() {
    let (_s, router) = router().await;
    let (status, body) = router
        .query(
            "mutation($n: String!) { updateName(id: \"u1\", name: $n) { name reviews { rating } } }",
            json!({"n": "Countess"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"updateName": {"name": "Countess", "reviews": [{"rating": 5}, {"rating": 3}]}})
    );
}

async fn limited_router(config: RouterConfig) -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    (subgraphs, router)
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let mut config = RouterConfig::default();
    config.limits.max_body_bytes = 1024;
    let (_s, router) = limited_router(config).await;
    let padding = "x".repeat(4096);
    let (status, body) = router
        .query(&format!("{{ users {{ id }} }} # {padding}"), json!({}))
        .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn depth_alias_and_root_field_limits_reject_operations() {
    let mut config = RouterConfig::default();
    config.limits.max_depth = 4;
    config.limits.max_aliases = 3;
    config.limits.max_root_fields = 2;
    let (subgraphs, router) = limited_router(config).await;
    let deep = "{ reviews { author { reviews { author { reviews { id } } } } } }";
    let aliases = "{ users { a: id b: id c: id d: id } }";
    let roots = "{ users { id } reviews { id } topProducts { upc } }";
    for query in [deep, aliases, roots] {
        let (status, body) = router.query(query, json!({})).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(code(&body), "OPERATION_LIMIT_EXCEEDED");
    }
    assert!(subgraphs.accounts.log.all().is_empty());
    let (status, _) = router
        .query("{ reviews { author { name } } }", json!({}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_pathologically_deep_document_is_refused_without_crashing() {
    let (_s, router) = router().await;
    let depth = 10_000;
    let query = format!("{}{}", "{ reviews ".repeat(depth), "}".repeat(depth));
    let (status, body) = router.query(&query, json!({})).await;
    assert_eq!(status, 400, "{body}");
    // The router still serves.
    let (status, _) = router.query("{ users { id } }", json!({})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let config = RouterConfig {
        introspection: false,
        ..Default::default()
    };
    let (_s, router) = limited_router(config).await;
    let (status, body) = router
        .query("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "INTROSPECTION_DISABLED");
    let (status, body) = router.query("{ __typename }", json!({})).await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );
}

#[tokio::test]
async fn metrics_count_requests_per_operation_and_per_subgraph() {
    let (_s, router) = router().await;
    let (status, _) = router
        .post_json(&json!({"query": "query Top { topProducts { name reviews { body } } }"}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = router.query("{ nope }", json!({})).await;
    assert_eq!(status, 400);
    let response = router
        .client
        .get(format!("{}/metrics", router.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.expect("text");
    let line = |name: &str, labels: &[&str]| {
        text.lines()
            .find(|l| l.starts_with(name) && labels.iter().all(|label| l.contains(label)))
            .unwrap_or_else(|| panic!("no {name} {labels:?} in\n{text}"))
            .to_owned()
    };
    assert!(
        line(
            "router_requests_total",
            &["operation=\"Top\"", "status=\"200\""]
        )
        .ends_with(" 1")
    );
    assert!(
        line(
            "router_requests_total",
            &["operation=\"anonymous\"", "status=\"400\""]
        )
        .ends_with(" 1")
    );
    assert!(line("router_request_errors_total", &["operation=\"anonymous\""]).ends_with(" 1"));
    assert!(
        line(
            "router_subgraph_requests_total",
            &["subgraph=\"products\"", "outcome=\"ok\""]
        )
        .ends_with(" 1")
    );
    assert!(
        line(
            "router_subgraph_requests_total",
            &["subgraph=\"reviews\"", "outcome=\"ok\""]
        )
        .ends_with(" 1")
    );
    line(
        "router_subgraph_request_duration_seconds_bucket",
        &["subgraph=\"reviews\""],
    );
    line(
        "router_request_duration_seconds_count",
        &["operation=\"Top\""],
    );
}

#[tokio::test]
async fn automatic_persisted_queries_register_then_answer_by_hash() {
    let (subgraphs, router) = router().await;
    let query = "{ users { name } }";
    // sha256("{ users { name } }")
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(query.as_bytes()))
    };
    let by_hash = json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}});
    let (status, body) = router.post_json(&by_hash).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");

    let mut register = by_hash.clone();
    register["query"] = json!(query);
    let (status, body) = router.post_json(&register).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["users"][0]["name"], "Ada");

    let response = router
        .client
        .get(router.graphql_url())
        .query(&[("extensions", by_hash["extensions"].to_string())])
        .send()
        .await
        .expect("answer");
    let (status, body) = read(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["users"][2]["name"], "Grace");
    assert_eq!(subgraphs.accounts.log.all().len(), 2);

    let mut mismatch = by_hash.clone();
    mismatch["query"] = json!("{ reviews { id } }");
    let (status, body) = router.post_json(&mismatch).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "PERSISTED_QUERY_HASH_MISMATCH");
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let config = RouterConfig {
        cors_allow_origins: vec!["https://shop.example".into()],
        ..Default::default()
    };
    let (_s, router) = limited_router(config).await;
    let preflight = |origin: &'static str| {
        router
            .client
            .request(reqwest::Method::OPTIONS, router.graphql_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization",
            )
            .send()
    };
    let allowed = preflight("https://shop.example").await.expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let refused = preflight("https://evil.example").await.expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn cross_site_simple_requests_are_refused() {
    let (subgraphs, router) = router().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded; charset=utf-8",
    ] {
        let response = router
            .client
            .post(router.graphql_url())
            .header("content-type", content_type)
            .body(r#"{"query": "mutation { updateName(id: \"u1\", name: \"pwned\") { name } }"}"#)
            .send()
            .await
            .expect("answer");
        let (status, body) = read(response).await;
        assert_eq!(status, 415, "{body}");
    }
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn the_playground_is_served_from_built_in_assets() {
    let (_s, router) = router().await;
    let page = router
        .client
        .get(format!("{}/", router.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    let scripts: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(scripts.len(), 4, "{html}");
    // Every asset the page names comes from the router itself.
    for path in scripts.into_iter().chain(["/playground/graphiql.min.css"]) {
        assert!(path.starts_with("/playground/"), "{path}");
        let asset = router
            .client
            .get(format!("{}{path}", router.base))
            .send()
            .await
            .expect("asset");
        assert_eq!(asset.status().as_u16(), 200, "{path}");
        assert!(asset.bytes().await.expect("bytes").len() > 100, "{path}");
    }
    let missing = router
        .client
        .get(format!("{}/playground/nope.js", router.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(missing.status().as_u16(), 404);
}
