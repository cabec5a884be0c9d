//! Bad input gets a GraphQL error with the right status; GET serves
//! queries, POST mutations.

use serde_json::json;

use super::{code, router};
use crate::helpers::read;

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
