//! `@interfaceObject` with `@requires`: `accounts` owns the entity
//! interface `NodeWithName` and its implementation `User`; `profiles`
//! sees `NodeWithName` as an object and computes `username` from the
//! `name` it requires from `accounts`.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const ACCOUNTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { users: [NodeWithName] }
    interface NodeWithName @key(fields: "id") { id: ID! name: String }
    type User implements NodeWithName @key(fields: "id") { id: ID! name: String age: Int }
"#;

const PROFILES: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@interfaceObject", "@external", "@requires"]
    )
    type Query { anotherUsers: [NodeWithName] }
    type NodeWithName @key(fields: "id") @interfaceObject {
        id: ID!
        name: String @external
        username: String @requires(fields: "name")
    }
"#;

fn users() -> Value {
    json!([
        {"__typename": "User", "id": "u1", "name": "u1-name", "age": 11},
        {"__typename": "User", "id": "u2", "name": "u2-name", "age": 22}
    ])
}

async fn accounts_and_profiles() -> Federation {
    let accounts = ScenarioSubgraph::new(
        "accounts",
        ACCOUNTS,
        json!({"Query": {"users": users()}, "User": users(), "NodeWithName": users()}),
    );
    let profiles = ScenarioSubgraph::new(
        "profiles",
        PROFILES,
        json!({
            "Query": {"anotherUsers": [{"id": "u1"}, {"id": "u2"}]},
            "NodeWithName": [{"id": "u1"}, {"id": "u2"}],
        }),
    )
    .field("NodeWithName.username", |node, _| {
        match node["name"].as_str() {
            Some(_) => Ok(json!(format!(
                "{}-username",
                node["id"].as_str().unwrap_or_default()
            ))),
            None => Err("the required field `name` was not provided".into()),
        }
    });
    Federation::start(vec![accounts.into_member(), profiles.into_member()]).await
}

fn both_users(fields: &[&str]) -> Value {
    let all = json!([
        {"id": "u1", "name": "u1-name", "username": "u1-username", "age": 11},
        {"id": "u2", "name": "u2-name", "username": "u2-username", "age": 22}
    ]);
    all.as_array()
        .into_iter()
        .flatten()
        .map(|user| {
            fields
                .iter()
                .map(|f| ((*f).to_owned(), user[*f].clone()))
                .collect::<serde_json::Map<_, _>>()
        })
        .collect()
}

#[tokio::test]
async fn an_entity_interface_root_answers_its_own_fields() {
    let federation = accounts_and_profiles().await;
    assert_eq!(
        federation.query("{ users { id } }").await,
        json!({"data": {"users": both_users(&["id"])}})
    );
    assert!(federation.log("profiles").is_empty());
}

#[tokio::test]
async fn a_required_field_reaches_the_interface_object_subgraph() {
    let federation = accounts_and_profiles().await;
    assert_eq!(
        federation.query("{ users { id name username } }").await,
        json!({"data": {"users": both_users(&["id", "name", "username"])}})
    );
    assert_eq!(
        federation
            .query("{ anotherUsers { id name username } }")
            .await,
        json!({"data": {"anotherUsers": both_users(&["id", "name", "username"])}})
    );
}

#[tokio::test]
async fn a_fragment_on_the_implementation_resolves_interface_objects_to_it() {
    let federation = accounts_and_profiles().await;
    assert_eq!(
        federation
            .query("{ anotherUsers { ... on User { age } } }")
            .await,
        json!({"data": {"anotherUsers": both_users(&["age"])}})
    );
    assert_eq!(
        federation.query("{ users { ... on User { age } } }").await,
        json!({"data": {"users": both_users(&["age"])}})
    );
}

#[tokio::test]
async fn interface_and_implementation_fields_merge_in_one_selection() {
    let federation = accounts_and_profiles().await;
    let fields = ["age", "id", "name", "username"];
    for root in ["anotherUsers", "users"] {
        let query = format!("{{ {root} {{ ... on User {{ age id name username }} id name }} }}");
        assert_eq!(
            federation.query(&query).await,
            json!({"data": {root: both_users(&fields)}}),
            "{query}"
        );
    }
}

#[tokio::test]
async fn typename_of_an_interface_object_is_its_implementation() {
    let federation = accounts_and_profiles().await;
    assert_eq!(
        federation.query("{ anotherUsers { __typename } }").await,
        json!({"data": {"anotherUsers": [{"__typename": "User"}, {"__typename": "User"}]}})
    );
    // One root fetch, one entity fetch that asks accounts for the type.
    assert_eq!(federation.log("profiles").len(), 1);
    let accounts = federation.log("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        accounts[0].variables["representations"],
        json!([
            {"__typename": "NodeWithName", "id": "u1"},
            {"__typename": "NodeWithName", "id": "u2"}
        ])
    );
}

/// The plan: `username` needs `name` from accounts, sent to profiles as
/// the interface object it knows.
#[test]
fn the_plan_sends_the_required_field_to_the_interface_object() {
    let subgraphs = [("accounts", ACCOUNTS), ("profiles", PROFILES)];
    insta::assert_snapshot!(plan_of(&subgraphs, "{ users { id name username } }"));
}
