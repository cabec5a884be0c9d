//! `_entities` batching: one call per subgraph per plan step, with
//! de-duplicated representations.

use serde_json::json;

use crate::helpers::{TestRouter, TestSubgraphs};

#[tokio::test]
async fn entity_representations_are_batched_and_deduplicated() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let (status, body) = router
        .query(
            "{ topProducts { name reviews { body author { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let authors: Vec<&str> = body["data"]["topProducts"]
        .as_array()
        .expect("products")
        .iter()
        .flat_map(|p| p["reviews"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["author"]["name"].as_str().map(str::to_owned))
        .map(|s| Box::leak(s.into_boxed_str()) as &str)
        .collect();
    assert_eq!(authors, ["Ada", "Alan", "Ada", "Grace"]);

    // One products root call, one reviews call for the three products,
    // one accounts call for the authors with Ada sent once.
    assert_eq!(subgraphs.products.log.all().len(), 1);
    let reviews = subgraphs.reviews.log.entity_calls();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0].variables["representations"],
        json!([
            {"__typename": "Product", "upc": "p1"},
            {"__typename": "Product", "upc": "p2"},
            {"__typename": "Product", "upc": "p3"}
        ])
    );
    let accounts = subgraphs.accounts.log.entity_calls();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        accounts[0].variables["representations"],
        json!([
            {"__typename": "User", "id": "u1"},
            {"__typename": "User", "id": "u2"},
            {"__typename": "User", "id": "u3"}
        ])
    );
}

#[tokio::test]
async fn parallel_entity_fetches_to_one_subgraph_share_a_request() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    // Two root fields whose entities both need accounts in the same step.
    let (status, body) = router
        .query(
            "{ reviews { author { name } } search(term: \"grace\") { ... on User { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["search"], json!([{"name": "Grace"}]));
    assert_eq!(
        body["data"]["reviews"][3],
        json!({"author": {"name": "Grace"}})
    );
    assert_eq!(subgraphs.accounts.log.entity_calls().len(), 1);
}
