//! Queries that cross subgraphs, through the router over HTTP.

use serde_json::json;

use crate::helpers::{TestRouter, TestSubgraphs};

async fn setup() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    (subgraphs, router)
}

#[tokio::test]
async fn query_crossing_two_subgraphs_through_an_entity() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query(
            "{ topProducts(first: 2) { upc name reviews { body } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"topProducts": [
            {"upc": "p1", "name": "Table", "reviews": [{"body": "Love it"}, {"body": "Too expensive"}]},
            {"upc": "p2", "name": "Couch", "reviews": [{"body": "Could be better"}]}
        ]}})
    );
    assert_eq!(subgraphs.products.log.all().len(), 1);
    assert_eq!(subgraphs.reviews.log.entity_calls().len(), 1);
}
