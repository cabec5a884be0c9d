//! In-flight de-duplication of identical subgraph queries.

use std::time::Duration;

use futures::future::join_all;
use router::RouterConfig;
use serde_json::json;

use crate::{
    helpers::{TestRouter, TestSubgraphs, spawn_slow_subgraph},
    subgraphs,
};

async fn slow_accounts(config: RouterConfig) -> (TestSubgraphs, TestRouter) {
    let mut subgraphs = TestSubgraphs::spawn().await;
    subgraphs.accounts =
        spawn_slow_subgraph(subgraphs::accounts(), Duration::from_millis(500)).await;
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    (subgraphs, router)
}

async fn ten_identical_queries(router: &TestRouter, query: &str) {
    let answers = join_all((0..10).map(|_| router.query(query, json!({})))).await;
    for (status, body) in answers {
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(body["data"]["users"][2]["name"], "Grace", "{body}");
    }
}

#[tokio::test]
async fn identical_concurrent_queries_share_one_subgraph_request() {
    let (subgraphs, router) = slow_accounts(RouterConfig::default()).await;
    ten_identical_queries(&router, "{ users { name } }").await;
    assert_eq!(subgraphs.accounts.log.all().len(), 1);
    // Once answered, the next request goes out again.
    let (status, _) = router.query("{ users { name } }", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(subgraphs.accounts.log.all().len(), 2);
}

#[tokio::test]
async fn deduplication_can_be_switched_off_and_never_applies_to_mutations() {
    let config = RouterConfig {
        deduplicate_queries: false,
        ..Default::default()
    };
    let (subgraphs, router) = slow_accounts(config).await;
    ten_identical_queries(&router, "{ users { name } }").await;
    assert_eq!(subgraphs.accounts.log.all().len(), 10);

    let (subgraphs, router) = slow_accounts(RouterConfig::default()).await;
    let mutation = "mutation { updateName(id: \"u1\", name: \"Z\") { name } }";
    let answers = join_all((0..3).map(|_| router.query(mutation, json!({})))).await;
    for (status, body) in answers {
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(subgraphs.accounts.log.all().len(), 3);
}
