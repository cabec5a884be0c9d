//! Interfaces and unions whose members live in different subgraphs: the
//! router must know each object's concrete type wherever it places one,
//! and must not refuse a reply for lacking a `__typename` it never asked
//! for.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

/// Owns the roots; knows ovens only by key, and toasters (its own) are
/// its only `Node`s.
const KITCHEN: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query {
        products: [Product]
        nodes: [Node]
        node(id: ID!): Node
        toasters: [Toaster]
    }
    union Product = Oven | Toaster
    interface Node { id: ID! }
    type Oven @key(fields: "id") { id: ID! }
    type Toaster implements Node @key(fields: "id") { id: ID! warranty: Int }
"#;

/// Owns ovens, which are `Node`s here.
const OVENS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    interface Node { id: ID! }
    type Oven implements Node @key(fields: "id") { id: ID! warranty: Int }
"#;

fn toasters() -> Value {
    json!([
        {"__typename": "Toaster", "id": "toaster1", "warranty": 3},
        {"__typename": "Toaster", "id": "toaster2", "warranty": 4}
    ])
}

async fn kitchen_and_ovens() -> Federation {
    let ovens =
        json!([{"__typename": "Oven", "id": "oven1"}, {"__typename": "Oven", "id": "oven2"}]);
    let mut products = ovens.as_array().cloned().unwrap_or_default();
    products.extend(toasters().as_array().cloned().unwrap_or_default());
    let kitchen = ScenarioSubgraph::new(
        "kitchen",
        KITCHEN,
        json!({
            "Query": {"products": products, "nodes": toasters(), "toasters": toasters()},
            "Toaster": toasters(),
            "Oven": ovens,
        }),
    )
    .field("Query.node", |_, args| {
        let found = toasters()
            .as_array()
            .and_then(|all| all.iter().find(|t| t["id"] == args["id"]).cloned());
        Ok(found.unwrap_or(Value::Null))
    });
    let ovens = ScenarioSubgraph::new(
        "ovens",
        OVENS,
        json!({"Oven": [{"id": "oven1", "warranty": 10}, {"id": "oven2", "warranty": 12}]}),
    );
    Federation::start(vec![kitchen.into_member(), ovens.into_member()]).await
}

#[tokio::test]
async fn an_interface_selection_without_fragments_needs_no_typename() {
    let federation = kitchen_and_ovens().await;
    assert_eq!(
        federation.query("{ nodes { id } }").await,
        json!({"data": {"nodes": [{"id": "toaster1"}, {"id": "toaster2"}]}})
    );
    assert_eq!(federation.log("kitchen").len(), 1);
    assert!(federation.log("ovens").is_empty());
}

#[tokio::test]
async fn typename_alone_is_answered_for_union_and_interface_members() {
    let federation = kitchen_and_ovens().await;
    assert_eq!(
        federation
            .query("{ products { __typename } nodes { __typename } }")
            .await,
        json!({"data": {
            "products": [
                {"__typename": "Oven"}, {"__typename": "Oven"},
                {"__typename": "Toaster"}, {"__typename": "Toaster"}
            ],
            "nodes": [{"__typename": "Toaster"}, {"__typename": "Toaster"}]
        }})
    );
}

#[tokio::test]
async fn an_interface_fragment_on_a_union_reaches_members_that_implement_it_elsewhere() {
    // Ovens are `Node`s only in the ovens subgraph, yet kitchen knows their id.
    let federation = kitchen_and_ovens().await;
    assert_eq!(
        federation
            .query("{ products { ... on Node { id } } }")
            .await,
        json!({"data": {"products": [
            {"id": "oven1"}, {"id": "oven2"}, {"id": "toaster1"}, {"id": "toaster2"}
        ]}})
    );
    assert!(federation.log("ovens").is_empty());
}

#[tokio::test]
async fn inline_fragments_on_members_pick_each_objects_own_fields() {
    let federation = kitchen_and_ovens().await;
    assert_eq!(
        federation
            .query("{ nodes { ... on Toaster { warranty } ... on Oven { id } } }")
            .await,
        json!({"data": {"nodes": [{"warranty": 3}, {"warranty": 4}]}})
    );
    assert_eq!(
        federation
            .query("{ products { __typename ... on Oven { id warranty } ... on Toaster { warranty } } }")
            .await,
        json!({"data": {"products": [
            {"__typename": "Oven", "id": "oven1", "warranty": 10},
            {"__typename": "Oven", "id": "oven2", "warranty": 12},
            {"__typename": "Toaster", "warranty": 3},
            {"__typename": "Toaster", "warranty": 4}
        ]}})
    );
    let entity_calls: Vec<_> = federation
        .log("ovens")
        .into_iter()
        .map(|call| call.variables["representations"].clone())
        .collect();
    assert_eq!(
        entity_calls,
        vec![json!([
            {"__typename": "Oven", "id": "oven1"},
            {"__typename": "Oven", "id": "oven2"}
        ])]
    );
}

#[tokio::test]
async fn fragment_spreads_on_a_member_and_on_its_interface_merge() {
    let federation = kitchen_and_ovens().await;
    let query = "{ toasters { ...ToasterFields ...NodeFields } }
        fragment ToasterFields on Toaster { id }
        fragment NodeFields on Node { id __typename }";
    assert_eq!(
        federation.query(query).await,
        json!({"data": {"toasters": [
            {"id": "toaster1", "__typename": "Toaster"},
            {"id": "toaster2", "__typename": "Toaster"}
        ]}})
    );
}

#[tokio::test]
async fn a_single_abstract_root_field_is_placed_by_its_concrete_type() {
    let federation = kitchen_and_ovens().await;
    assert_eq!(
        federation
            .query(r#"{ toaster: node(id: "toaster1") { ... on Toaster { warranty } } oven: node(id: "oven1") { ... on Oven { warranty } } }"#)
            .await,
        json!({"data": {"toaster": {"warranty": 3}, "oven": null}})
    );
}

/// The plan: each member's fields from the subgraph that owns them, with
/// the type conditions the executor places them by.
#[test]
fn the_plan_completes_each_member_of_an_interface_where_it_lives() {
    let subgraphs = [("kitchen", KITCHEN), ("ovens", OVENS)];
    let query =
        "{ products { __typename ... on Oven { id warranty } ... on Toaster { warranty } } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
