//! Circuit breaker and retries in front of subgraphs.

use std::time::{Duration, Instant};

use router::RouterConfig;
use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraphs, flaky_proxy, hanging_url};

fn codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_repeatedly_failing_subgraph_is_cut_off_and_fails_fast() {
    let subgraphs = TestSubgraphs::spawn().await;
    let mut urls = subgraphs.urls();
    urls.insert("reviews".into(), hanging_url().await);
    let mut config = RouterConfig::default();
    config.subgraphs.timeout_ms = 200;
    config.subgraphs.circuit_failure_threshold = 2;
    config.subgraphs.circuit_cooldown_ms = 60_000;
    let router = TestRouter::spawn(urls, config).await;
    let query = "{ product(upc: \"p1\") { name reviews { body } } }";
    for _ in 0..2 {
        let (status, body) = router.query(query, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(codes(&body), ["SUBREQUEST_TIMEOUT"], "{body}");
    }
    let started = Instant::now();
    let (status, body) = router.query(query, json!({})).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_millis(150));
    assert_eq!(codes(&body), ["SUBGRAPH_CIRCUIT_OPEN"], "{body}");
    // The other subgraphs still answer.
    assert_eq!(body["data"]["product"]["name"], "Table");
}

#[tokio::test]
async fn queries_survive_a_dropped_connection_but_mutations_are_not_retried() {
    let subgraphs = TestSubgraphs::spawn().await;
    let mut urls = subgraphs.urls();
    urls.insert(
        "accounts".into(),
        flaky_proxy(&subgraphs.accounts.url, 1).await,
    );
    let router = TestRouter::spawn(urls, RouterConfig::default()).await;
    let (status, body) = router.query("{ users { name } }", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(subgraphs.accounts.log.all().len(), 1);

    let subgraphs = TestSubgraphs::spawn().await;
    let mut urls = subgraphs.urls();
    urls.insert(
        "accounts".into(),
        flaky_proxy(&subgraphs.accounts.url, 1).await,
    );
    let router = TestRouter::spawn(urls, RouterConfig::default()).await;
    let (status, body) = router
        .query(
            "mutation { updateName(id: \"u1\", name: \"Q\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(codes(&body), ["SUBREQUEST_HTTP_ERROR"], "{body}");
    assert!(subgraphs.accounts.log.all().is_empty());
}
