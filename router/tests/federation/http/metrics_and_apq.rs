//! Request metrics, and automatic persisted queries.

use serde_json::json;

use super::{code, router};
use crate::helpers::read;

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
