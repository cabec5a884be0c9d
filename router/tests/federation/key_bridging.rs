//! Keys that bridge subgraphs: shelves knows books by `upc`, catalog maps
//! `upc` to `id`, authors knows books by `id` only. A book catalog cannot
//! resolve has no `id`: its author is `null`, and that is no error.

use serde_json::json;

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const SHELVES: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { bookContainers: [BookContainer] }
    type BookContainer { book: Book }
    type Book @key(fields: "upc") { upc: ID! }
"#;

const CATALOG: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Book @key(fields: "id") @key(fields: "upc") { id: ID! upc: ID! }
"#;

const AUTHORS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Book @key(fields: "id") { id: ID! author: Author }
    type Author { id: ID! name: String }
"#;

async fn three_subgraphs() -> Federation {
    let shelves = ScenarioSubgraph::new(
        "shelves",
        SHELVES,
        json!({"Query": {"bookContainers": [
            {"book": {"upc": "b1"}}, {"book": {"upc": "b2"}}, {"book": {"upc": "b3"}}
        ]}}),
    );
    // b3 is on the shelves but not in the catalog.
    let catalog = ScenarioSubgraph::new(
        "catalog",
        CATALOG,
        json!({"Book": [{"id": "1", "upc": "b1"}, {"id": "2", "upc": "b2"}]}),
    );
    let authors = ScenarioSubgraph::new(
        "authors",
        AUTHORS,
        json!({"Book": [
            {"id": "1", "author": {"id": "a1", "name": "Alice"}},
            {"id": "2", "author": {"id": "a2", "name": "Bob"}},
            {"id": "3", "author": {"id": "a3", "name": "Carol"}}
        ]}),
    );
    Federation::start(vec![
        shelves.into_member(),
        catalog.into_member(),
        authors.into_member(),
    ])
    .await
}

#[tokio::test]
async fn an_entity_the_middle_subgraph_does_not_know_ends_the_chain_quietly() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation
            .query("{ bookContainers { book { upc author { name } } } }")
            .await,
        json!({"data": {"bookContainers": [
            {"book": {"upc": "b1", "author": {"name": "Alice"}}},
            {"book": {"upc": "b2", "author": {"name": "Bob"}}},
            {"book": {"upc": "b3", "author": null}}
        ]}})
    );
    let authors = federation.log("authors");
    assert_eq!(authors.len(), 1);
    assert_eq!(
        authors[0].variables["representations"],
        json!([{"__typename": "Book", "id": "1"}, {"__typename": "Book", "id": "2"}])
    );
}

/// The plan: shelves' `upc` reaches catalog, whose `id` reaches authors.
#[test]
fn the_plan_bridges_keys_through_the_middle_subgraph() {
    let subgraphs = [
        ("shelves", SHELVES),
        ("catalog", CATALOG),
        ("authors", AUTHORS),
    ];
    let query = "{ bookContainers { book { upc author { name } } } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
