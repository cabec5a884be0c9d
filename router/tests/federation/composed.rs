//! The router serving a supergraph composed by our own composition from
//! the test subgraphs' SDLs answers exactly like it does with the
//! hand-written fixture.

use async_graphql::SDLExportOptions;
use router::{
    RouterConfig,
    compose::{SubgraphDefinition, compose},
};
use serde_json::json;

use crate::{
    helpers::{TestRouter, TestSubgraphs},
    subgraphs,
};

fn composed_supergraph(subgraphs: &TestSubgraphs) -> String {
    let options = || SDLExportOptions::new().federation().compose_directive();
    let urls = subgraphs.urls();
    let sdls = [
        (
            "accounts",
            subgraphs::accounts().sdl_with_options(options()),
        ),
        (
            "products",
            subgraphs::products_schema().sdl_with_options(options()),
        ),
        (
            "reviews",
            subgraphs::reviews_schema().sdl_with_options(options()),
        ),
        (
            "inventory",
            subgraphs::inventory_schema().sdl_with_options(options()),
        ),
        (
            "search",
            subgraphs::search_schema().sdl_with_options(options()),
        ),
    ];
    let definitions: Vec<SubgraphDefinition> = sdls
        .into_iter()
        .map(|(name, sdl)| SubgraphDefinition::new(name, urls[name].clone(), sdl))
        .collect();
    compose(&definitions)
        .unwrap_or_else(|errors| panic!("the test subgraphs compose: {errors:?}"))
        .into_sdl()
}

#[tokio::test]
async fn a_composed_supergraph_is_served_like_the_fixture() {
    let subgraphs = TestSubgraphs::spawn().await;
    let sdl = composed_supergraph(&subgraphs);
    let composed =
        TestRouter::spawn_with_sdl(&sdl, subgraphs.urls(), RouterConfig::default()).await;
    let fixture = TestRouter::for_subgraphs(&subgraphs).await;
    let queries = [
        "{ topProducts { name warehouse inStock shippingEstimate shippingTo(zone: \"US\") reviews { body author { name username nickname } } } }",
        "{ reviews { author { username } product { upc inStock } } }",
        "{ search(term: \"a\") { __typename ... on User { name reviews { rating } } ... on Product { name } } }",
        "{ node(id: \"r3\") { id ... on Review { body author { name } } } }",
        "{ users { birthYear } }",
    ];
    for query in queries {
        let from_composed = composed.query(query, json!({})).await;
        let from_fixture = fixture.query(query, json!({})).await;
        assert_eq!(from_composed, from_fixture, "{query}");
    }
}
