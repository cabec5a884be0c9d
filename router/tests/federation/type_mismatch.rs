//! One response key, two types in one subgraph: there `User.id` is `ID!`
//! and `Admin.id` is `ID` (the supergraph has `ID` for both, as profiles
//! declares `User.id` nullable), so a client's `id` on both members of a
//! union cannot go to that subgraph as written; the planner aliases one
//! and the router renames it back, at every depth of a recursive
//! selection.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const ACCOUNTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { users: [User] accounts: [Account] }
    union Account = User | Admin
    type User @key(fields: "id") { id: ID! similarAccounts: [Account!]! }
    type Admin { id: ID name: String similarAccounts: [Account!]! }
"#;

const PROFILES: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type User @key(fields: "id") { id: ID name: String }
"#;

fn accounts() -> Value {
    json!([
        {"__typename": "User", "id": "u1"},
        {"__typename": "Admin", "id": "a1", "name": "a1-name"}
    ])
}

async fn accounts_and_profiles() -> Federation {
    let accounts = ScenarioSubgraph::new(
        "accounts",
        ACCOUNTS,
        json!({"Query": {"users": [{"id": "u1"}], "accounts": accounts()}, "User": [{"id": "u1"}]}),
    )
    .field("User.similarAccounts", |_, _| Ok(accounts()))
    .field("Admin.similarAccounts", |_, _| Ok(accounts()));
    let profiles = ScenarioSubgraph::new(
        "profiles",
        PROFILES,
        json!({"User": [{"id": "u1", "name": "u1-name"}]}),
    );
    Federation::start(vec![accounts.into_member(), profiles.into_member()]).await
}

fn both(inner: Option<Value>) -> Value {
    let member = |id: &str| {
        let mut object = json!({"id": id, "name": format!("{id}-name")});
        if let Some(inner) = &inner {
            object["similarAccounts"] = inner.clone();
        }
        object
    };
    json!([member("u1"), member("a1")])
}

#[tokio::test]
async fn fields_of_different_types_under_one_key_are_answered_per_member() {
    let federation = accounts_and_profiles().await;
    assert_eq!(
        federation
            .query("{ users { id name } accounts { ... on User { id name } ... on Admin { id name } } }")
            .await,
        json!({"data": {"users": [{"id": "u1", "name": "u1-name"}], "accounts": both(None)}})
    );
    let root = &federation.log("accounts")[0].query;
    assert!(root.contains("_internal_qp_alias_"), "not aliased: {root}");
}

#[tokio::test]
async fn the_renaming_holds_at_every_depth() {
    let federation = accounts_and_profiles().await;
    let members = |inner: &str| {
        format!("... on User {{ id name {inner} }} ... on Admin {{ id name {inner} }}")
    };
    let innermost = format!("similarAccounts {{ {} }}", members(""));
    let middle = format!("similarAccounts {{ {} }}", members(&innermost));
    let query = format!("{{ accounts {{ {} }} }}", members(&middle));
    assert_eq!(
        federation.query(&query).await,
        json!({"data": {"accounts": both(Some(both(Some(both(None)))))}})
    );
}

/// The plan: accounts is asked for `Admin.id`, whose type there is not
/// `User.id`'s, under an alias of its own.
#[test]
fn the_plan_renames_fields_of_different_types_under_one_key() {
    let subgraphs = [("accounts", ACCOUNTS), ("profiles", PROFILES)];
    let query = "{ accounts { ... on User { id name } ... on Admin { id name } } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
