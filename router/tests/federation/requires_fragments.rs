//! `@requires` with fragments on an interface hierarchy: `checks` needs
//! `data { foo ... on Bar { bar ... on Baz { baz } ... on Qux { qux } } }`.
//! The representation carries the member's own fields, even for a member
//! (`Baz`) hidden from clients by `@inaccessible`, which the client still
//! never sees.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const STORE: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])
    type Query @shareable { a: Entity }
    type Entity @key(fields: "id") { id: ID! data: Foo }
    interface Foo { foo: String! }
    interface Bar implements Foo { foo: String! bar: String! }
    type Baz implements Foo & Bar @shareable { foo: String! bar: String! baz: String! }
    type Qux implements Foo & Bar @shareable { foo: String! bar: String! qux: String! }
"#;

const CHECKS: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.5"
        import: ["@key", "@shareable", "@inaccessible", "@external", "@requires"]
    )
    type Query @shareable { b: Entity bb: Entity }
    type Entity @key(fields: "id") {
        id: ID!
        data: Foo @external
        requirer: String! @requires(fields: "data { foo ... on Bar { bar ... on Baz { baz } ... on Qux { qux } } }")
        requirer2: String! @requires(fields: "data { ... on Foo { foo } }")
    }
    interface Foo { foo: String! }
    interface Bar implements Foo { foo: String! bar: String! }
    type Baz implements Foo & Bar @shareable @inaccessible { foo: String! bar: String! baz: String! }
    type Qux implements Foo & Bar @shareable { foo: String! bar: String! qux: String! }
"#;

fn entities() -> Value {
    json!([
        {"id": "e1", "data": {"__typename": "Baz", "foo": "b1-foo", "bar": "b1-bar", "baz": "b1-baz"}},
        {"id": "e2", "data": {"__typename": "Qux", "foo": "q1-foo", "bar": "q1-bar", "qux": "q1-qux"}}
    ])
}

fn requirer(
    suffix: &'static str,
) -> impl Fn(&Value, &serde_json::Map<String, Value>) -> Result<Value, String> {
    move |entity, _| match entity["data"]["foo"].as_str() {
        Some(value) => Ok(json!(format!("{value}_{suffix}"))),
        None => Err(format!("the required data was not provided: {entity}")),
    }
}

async fn store_and_checks() -> Federation {
    let store = ScenarioSubgraph::new(
        "store",
        STORE,
        json!({"Query": {"a": entities()[1]}, "Entity": entities()}),
    );
    // checks knows its entities by id only; `data` comes in representations.
    let ids = json!([{"id": "e1"}, {"id": "e2"}]);
    let checks = ScenarioSubgraph::new(
        "checks",
        CHECKS,
        json!({"Query": {"b": ids[0], "bb": ids[1]}, "Entity": ids}),
    )
    .field("Entity.requirer", requirer("requirer"))
    .field("Entity.requirer2", requirer("requirer2"));
    Federation::start(vec![store.into_member(), checks.into_member()]).await
}

#[tokio::test]
async fn the_required_fragments_are_read_for_the_members_concrete_type() {
    let federation = store_and_checks().await;
    assert_eq!(
        federation
            .query("{ a { data { __typename } requirer } }")
            .await,
        json!({"data": {"a": {"data": {"__typename": "Qux"}, "requirer": "q1-foo_requirer"}}})
    );
    let calls = federation.log("checks");
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].variables["representations"],
        json!([{"__typename": "Entity", "id": "e2", "data": {"foo": "q1-foo", "bar": "q1-bar", "qux": "q1-qux"}}])
    );
}

#[tokio::test]
async fn a_requirement_through_two_hops_and_a_shorter_one() {
    let federation = store_and_checks().await;
    assert_eq!(
        federation
            .query("{ bb { data { __typename } requirer requirer2 } }")
            .await,
        json!({"data": {"bb": {
            "data": {"__typename": "Qux"},
            "requirer": "q1-foo_requirer",
            "requirer2": "q1-foo_requirer2"
        }}})
    );
}

#[tokio::test]
async fn an_inaccessible_member_is_required_but_never_shown() {
    let federation = store_and_checks().await;
    assert_eq!(
        federation
            .query("{ b { id data { __typename } requirer } }")
            .await,
        json!({
            "data": {"b": {"id": "e1", "data": null, "requirer": "b1-foo_requirer"}},
            "errors": [{
                "message": "A subgraph returned a value that is not an object with a known __typename",
                "path": ["b", "data"],
                "extensions": {"code": "SUBREQUEST_MALFORMED_RESPONSE"}
            }]
        })
    );
    let requirements: Vec<Value> = federation
        .log("checks")
        .iter()
        .filter(|c| c.query.contains("_entities"))
        .map(|c| c.variables["representations"].clone())
        .collect();
    assert_eq!(
        requirements,
        [
            json!([{"__typename": "Entity", "id": "e1", "data": {"foo": "b1-foo", "bar": "b1-bar", "baz": "b1-baz"}}])
        ]
    );
}

/// The plan: the requirements of two fields, with their fragments on the
/// interface hierarchy, in one representation.
#[test]
fn the_plan_requires_the_fragments_of_both_fields() {
    let subgraphs = [("store", STORE), ("checks", CHECKS)];
    let query = "{ bb { data { __typename } requirer requirer2 } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
