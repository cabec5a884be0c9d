//! `@inaccessible` never leaks: an enum value or a type hidden from the
//! API schema, when a subgraph returns one, is a null with an error that
//! does not name it.

use serde_json::{Value, json};

use crate::{helpers::Federation, scenario::ScenarioSubgraph};

const WARDROBE: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
    type Query { shirts: [Shirt] items: [Item] }
    enum Color { RED GREEN PROTOTYPE_BLACK @inaccessible }
    type Shirt @key(fields: "id") { id: ID! color: Color colors: [Color!] }
    interface Item { id: ID! }
    type Hat implements Item { id: ID! }
    type Prototype implements Item @inaccessible { id: ID! codename: String }
"#;

async fn wardrobe() -> Federation {
    let shirts = json!([
        {"id": "s1", "color": "RED", "colors": ["RED", "PROTOTYPE_BLACK"]},
        {"id": "s2", "color": "PROTOTYPE_BLACK", "colors": ["GREEN"]}
    ]);
    let items = json!([
        {"__typename": "Hat", "id": "h1"},
        {"__typename": "Prototype", "id": "x1", "codename": "raven"}
    ]);
    let wardrobe = ScenarioSubgraph::new(
        "wardrobe",
        WARDROBE,
        json!({"Query": {"shirts": shirts, "items": items}, "Shirt": shirts}),
    );
    Federation::start(vec![wardrobe.into_member()]).await
}

fn not_valid(what: &str, path: Value) -> Value {
    json!({
        "message": format!("A subgraph returned a value that is not {what}"),
        "path": path,
        "extensions": {"code": "SUBREQUEST_MALFORMED_RESPONSE"}
    })
}

#[test]
fn the_hidden_value_and_type_are_not_in_the_api_schema() {
    let federation_sdl = router::compose::compose(&[router::compose::SubgraphDefinition::new(
        "wardrobe",
        "http://wardrobe",
        WARDROBE,
    )])
    .expect("composes")
    .into_sdl();
    let supergraph = router::supergraph::Supergraph::parse(&federation_sdl).expect("parses");
    let api = supergraph.api_schema.to_string();
    assert!(
        !api.contains("PROTOTYPE_BLACK") && !api.contains("Prototype"),
        "{api}"
    );
}

#[tokio::test]
async fn an_inaccessible_enum_value_becomes_a_null_with_an_error() {
    let federation = wardrobe().await;
    assert_eq!(
        federation.query("{ shirts { id color } }").await,
        json!({
            "data": {"shirts": [{"id": "s1", "color": "RED"}, {"id": "s2", "color": null}]},
            "errors": [not_valid("a valid Color value", json!(["shirts", 1, "color"]))]
        })
    );
}

#[tokio::test]
async fn an_inaccessible_value_in_a_non_null_list_nulls_the_list() {
    let federation = wardrobe().await;
    assert_eq!(
        federation.query("{ shirts { colors } }").await,
        json!({
            "data": {"shirts": [{"colors": null}, {"colors": ["GREEN"]}]},
            "errors": [not_valid("a valid Color value", json!(["shirts", 0, "colors", 1]))]
        })
    );
}

#[tokio::test]
async fn an_inaccessible_type_behind_an_interface_becomes_a_null_with_an_error() {
    let federation = wardrobe().await;
    assert_eq!(
        federation.query("{ items { __typename id } }").await,
        json!({
            "data": {"items": [{"__typename": "Hat", "id": "h1"}, null]},
            "errors": [not_valid("an object with a known __typename", json!(["items", 1]))]
        })
    );
}
