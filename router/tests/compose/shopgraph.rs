//! ShopGraph's own subgraphs, as listed in router-config/supergraph.yaml, compose into a
//! supergraph the planner can plan a storefront query over all four of them with.

use std::path::PathBuf;

use router::compose::compose_from_config;

use crate::planning::{plan, validate};

#[tokio::test]
async fn the_shopgraph_subgraphs_compose_and_plan_across_all_four() {
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../router-config/supergraph.yaml");
    let sdl = compose_from_config(&config)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    validate(&sdl);
    for (graph, port) in [
        ("USERS", 4001),
        ("CATALOG", 4002),
        ("ORDERS", 4003),
        ("SEARCH", 4004),
    ] {
        assert!(
            sdl.contains(&format!("url: \"http://127.0.0.1:{port}/graphql\"")),
            "{graph}"
        );
    }
    let (services, display) = plan(
        &sdl,
        "{ searchProducts(query: \"lamp\") { nodes { name salesCount reviews { body author { name } } } } }",
    );
    for subgraph in ["search", "catalog", "orders", "users"] {
        assert!(
            services.iter().any(|s| s == subgraph),
            "{subgraph} missing from the plan:\n{display}"
        );
    }
    assert_eq!(
        services.first().map(String::as_str),
        Some("search"),
        "{display}"
    );
}
