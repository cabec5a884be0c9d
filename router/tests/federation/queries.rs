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

#[tokio::test]
async fn composite_key_and_requires_reach_inventory_through_products() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query(
            "{ product(upc: \"p1\") { name inStock shippingEstimate eu: shippingTo(zone: \"EU\") us: shippingTo(zone: \"US\") } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"product": {"name": "Table", "inStock": true, "shippingEstimate": 50, "eu": 100, "us": 200}}})
    );
    let calls = subgraphs.inventory.log.entity_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let representations = &calls[0].variables["representations"];
    assert_eq!(
        representations,
        &json!([{"__typename": "Product", "sku": "T-1", "region": "EU", "price": 899, "weight": 100}]),
    );
}

#[tokio::test]
async fn overridden_fields_come_from_the_overriding_subgraph() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query("{ topProducts(first: 2) { name warehouse } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["topProducts"],
        json!([
            {"name": "Table", "warehouse": "eu-central"},
            {"name": "Couch", "warehouse": "us-central"}
        ])
    );
    let products = subgraphs.products.log.all();
    assert!(products.iter().all(|c| !c.query.contains("warehouse")));
    assert_eq!(subgraphs.inventory.log.entity_calls().len(), 1);
}

#[tokio::test]
async fn multiple_keys_let_reviews_products_be_completed_by_inventory() {
    // reviews knows Product by upc only; inventory by sku+region only:
    // products bridges the two keys.
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query("{ reviews { id product { upc inStock } } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["reviews"],
        json!([
            {"id": "r1", "product": {"upc": "p1", "inStock": true}},
            {"id": "r2", "product": {"upc": "p1", "inStock": true}},
            {"id": "r3", "product": {"upc": "p2", "inStock": false}},
            {"id": "r4", "product": {"upc": "p3", "inStock": true}}
        ])
    );
    // One products call resolving the three distinct upcs to sku+region.
    let products = subgraphs.products.log.entity_calls();
    assert_eq!(products.len(), 1);
    assert_eq!(
        products[0].variables["representations"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn provides_answers_from_the_providing_subgraph_without_another_fetch() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query("{ reviews { author { username } } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["reviews"][0],
        json!({"author": {"username": "ada"}})
    );
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn shareable_and_non_provided_fields_are_fetched_from_their_owner() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query("{ reviews { author { username name } } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["reviews"][1],
        json!({"author": {"username": "alan", "name": "Alan"}})
    );
    assert_eq!(subgraphs.accounts.log.entity_calls().len(), 1);
}

#[tokio::test]
async fn union_members_from_different_subgraphs_are_completed() {
    let (_subgraphs, router) = setup().await;
    let (status, body) = router
        .query(
            "{ search(term: \"a\") { __typename ... on User { name } ... on Product { name price } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"search": [
            {"__typename": "User", "name": "Ada"},
            {"__typename": "Product", "name": "Table", "price": 899},
            {"__typename": "User", "name": "Grace"},
            {"__typename": "Product", "name": "Chair", "price": 54}
        ]}})
    );
}

#[tokio::test]
async fn interface_members_from_different_subgraphs_are_completed() {
    let (_subgraphs, router) = setup().await;
    let (status, body) = router
        .query(
            "query($u: ID!, $r: ID!) { u: node(id: $u) { id ... on User { name } ... on Review { body } } r: node(id: $r) { id __typename ... on User { name } ... on Review { body rating } } }",
            json!({"u": "u3", "r": "r2"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {
            "u": {"id": "u3", "name": "Grace"},
            "r": {"id": "r2", "__typename": "Review", "body": "Too expensive", "rating": 2}
        }})
    );
}

#[tokio::test]
async fn fragments_aliases_variables_and_typename_shape_the_response() {
    let (_subgraphs, router) = setup().await;
    let query = r#"
        query Shop($upc: String!, $withReviews: Boolean!, $noName: Boolean = false) {
          first: product(upc: $upc) { ...Basics reviews @include(if: $withReviews) { rating } }
          second: product(upc: "p3") { ... on Product { kind: __typename } title: name @skip(if: $noName) }
        }
        fragment Basics on Product { __typename upc title: name }
    "#;
    let (status, body) = router
        .query(query, json!({"upc": "p2", "withReviews": true}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {
            "first": {"__typename": "Product", "upc": "p2", "title": "Couch", "reviews": [{"rating": 3}]},
            "second": {"kind": "Product", "title": "Chair"}
        }})
    );
    let (_, skipped) = router
        .query(
            query,
            json!({"upc": "p2", "withReviews": false, "noName": true}),
        )
        .await;
    assert_eq!(
        skipped,
        json!({"data": {
            "first": {"__typename": "Product", "upc": "p2", "title": "Couch"},
            "second": {"kind": "Product"}
        }})
    );
}

#[tokio::test]
async fn root_typename_and_introspection_are_answered_by_the_router() {
    let (subgraphs, router) = setup().await;
    let (status, body) = router
        .query(
            "{ __typename __type(name: \"User\") { fields { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["__typename"], "Query");
    let fields: Vec<&str> = body["data"]["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    // @inaccessible fields are not part of the API schema.
    assert_eq!(
        fields,
        [
            "id",
            "name",
            "username",
            "nickname",
            "email",
            "internalNotes",
            "reviews"
        ]
    );
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn subgraphs_configured_for_http2_are_reached_over_h2c() {
    let subgraphs = TestSubgraphs::spawn().await;
    let mut config = router::RouterConfig::default();
    config.subgraphs.overrides.insert(
        "reviews".into(),
        router::config::SubgraphConfig {
            http2: true,
            ..Default::default()
        },
    );
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    let (status, body) = router
        .query("{ topProducts(first: 1) { reviews { body } } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["topProducts"][0]["reviews"][0]["body"],
        "Love it"
    );
    assert_eq!(
        subgraphs.reviews.log.all()[0].version,
        axum::http::Version::HTTP_2
    );
    assert_eq!(
        subgraphs.products.log.all()[0].version,
        axum::http::Version::HTTP_11
    );
}

#[tokio::test]
async fn authorization_header_is_forwarded_to_subgraphs() {
    let (subgraphs, router) = setup().await;
    let response = router
        .client
        .post(router.graphql_url())
        .header("authorization", "Bearer token-123")
        .header("x-user-id", "forged")
        .json(&json!({"query": "{ me { name reviews { body } } }"}))
        .send()
        .await
        .expect("router answers");
    let (status, body) = crate::helpers::read(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["name"], "Ada");
    for log in [&subgraphs.accounts.log, &subgraphs.reviews.log] {
        let calls = log.all();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].authorization.as_deref(), Some("Bearer token-123"));
    }
}
