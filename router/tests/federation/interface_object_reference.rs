//! A non-resolvable `@interfaceObject`: `feed` names media by id only
//! (`resolvable: false`), `catalog` owns the `Media` interface and its
//! implementations. The router completes every feed item through
//! catalog and never asks feed to resolve one.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const CATALOG: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { media: [Media] }
    interface Media @key(fields: "id") { id: ID! title: String }
    type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
    type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
"#;

const FEED: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@interfaceObject"]
    )
    type Query { featured: Media highlights: [Media] }
    type Media @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
"#;

fn media() -> Value {
    json!([
        {"__typename": "Book", "id": "b1", "title": "Dune", "pages": 412},
        {"__typename": "Movie", "id": "m1", "title": "Alien", "minutes": 117}
    ])
}

async fn catalog_and_feed() -> Federation {
    let catalog = ScenarioSubgraph::new(
        "catalog",
        CATALOG,
        json!({"Query": {"media": media()}, "Media": media(), "Book": media(), "Movie": media()}),
    );
    let feed = ScenarioSubgraph::new(
        "feed",
        FEED,
        json!({"Query": {
            "featured": {"id": "m1"},
            "highlights": [{"id": "b1"}, {"id": "m1"}, {"id": "gone"}]
        }}),
    );
    Federation::start(vec![catalog.into_member(), feed.into_member()]).await
}

#[tokio::test]
async fn the_key_of_a_referenced_interface_object_needs_no_other_subgraph() {
    let federation = catalog_and_feed().await;
    assert_eq!(
        federation.query("{ featured { id } }").await,
        json!({"data": {"featured": {"id": "m1"}}})
    );
    assert!(federation.log("catalog").is_empty());
}

#[tokio::test]
async fn interface_fields_of_a_reference_come_from_the_interface_owner() {
    let federation = catalog_and_feed().await;
    assert_eq!(
        federation.query("{ featured { id title } }").await,
        json!({"data": {"featured": {"id": "m1", "title": "Alien"}}})
    );
    assert_eq!(federation.log("feed").len(), 1);
    let catalog = federation.log("catalog");
    assert_eq!(catalog.len(), 1);
    assert_eq!(
        catalog[0].variables["representations"],
        json!([{"__typename": "Media", "id": "m1"}])
    );
}

#[tokio::test]
async fn fragments_on_implementations_apply_to_references() {
    let federation = catalog_and_feed().await;
    assert_eq!(
        federation
            .query(
                "{ highlights { __typename id ... on Book { pages } ... on Movie { minutes } } }"
            )
            .await,
        json!({"data": {"highlights": [
            {"__typename": "Book", "id": "b1", "pages": 412},
            {"__typename": "Movie", "id": "m1", "minutes": 117},
            null
        ]}, "errors": [{
            "message": "The concrete type of this Media could not be determined: no subgraph resolved the entity",
            "path": ["highlights", 2],
            "extensions": {"code": "UNRESOLVED_ABSTRACT_TYPE"}
        }]})
    );
}

#[tokio::test]
async fn a_reference_nobody_resolves_keeps_what_needs_no_concrete_type() {
    let federation = catalog_and_feed().await;
    assert_eq!(
        federation.query("{ highlights { id title } }").await,
        json!({"data": {"highlights": [
            {"id": "b1", "title": "Dune"},
            {"id": "m1", "title": "Alien"},
            {"id": "gone", "title": null}
        ]}})
    );
}

/// The plan: feed's references go to catalog, which owns the interface.
#[test]
fn the_plan_completes_references_from_the_interface_owner() {
    let subgraphs = [("catalog", CATALOG), ("feed", FEED)];
    insta::assert_snapshot!(plan_of(&subgraphs, "{ featured { id title } }"));
}
