//! `@provides`: `reviews` can answer its authors' usernames itself, so the
//! router asks `accounts` only for what was not provided.

use serde_json::json;

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const REVIEWS: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@provides"]
    )
    type Query { topReviews: [Review] }
    type Review @key(fields: "id") {
        id: ID!
        body: String
        author: User @provides(fields: "username")
        editor: User
    }
    type User @key(fields: "id") { id: ID! username: String @external }
"#;

const ACCOUNTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
    type User @key(fields: "id") { id: ID! username: String @shareable name: String }
"#;

async fn reviews_and_accounts() -> Federation {
    let reviews = ScenarioSubgraph::new(
        "reviews",
        REVIEWS,
        json!({"Query": {"topReviews": [
            {"id": "r1", "body": "Great", "author": {"id": "u1", "username": "ada"}, "editor": {"id": "u2"}},
            {"id": "r2", "body": "Fine", "author": {"id": "u2", "username": "alan"}, "editor": {"id": "u2"}}
        ]}}),
    );
    let accounts = ScenarioSubgraph::new(
        "accounts",
        ACCOUNTS,
        json!({"User": [
            {"id": "u1", "username": "ada", "name": "Ada"},
            {"id": "u2", "username": "alan", "name": "Alan"}
        ]}),
    );
    Federation::start(vec![reviews.into_member(), accounts.into_member()]).await
}

#[tokio::test]
async fn a_provided_field_needs_no_entity_fetch() {
    let federation = reviews_and_accounts().await;
    assert_eq!(
        federation
            .query("{ topReviews { body author { username } } }")
            .await,
        json!({"data": {"topReviews": [
            {"body": "Great", "author": {"username": "ada"}},
            {"body": "Fine", "author": {"username": "alan"}}
        ]}})
    );
    assert!(federation.log("accounts").is_empty());
}

#[tokio::test]
async fn only_what_was_not_provided_is_fetched() {
    let federation = reviews_and_accounts().await;
    assert_eq!(
        federation
            .query("{ topReviews { author { username name } editor { username } } }")
            .await,
        json!({"data": {"topReviews": [
            {"author": {"username": "ada", "name": "Ada"}, "editor": {"username": "alan"}},
            {"author": {"username": "alan", "name": "Alan"}, "editor": {"username": "alan"}}
        ]}})
    );
    // One batched request: the editors' usernames (not provided on that
    // field) and the authors' names; never the authors' usernames.
    let calls = federation.log("accounts");
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].variables,
        json!({
            "__batch_reps_0": [{"__typename": "User", "id": "u2"}],
            "__batch_reps_1": [{"__typename": "User", "id": "u1"}, {"__typename": "User", "id": "u2"}]
        })
    );
    assert!(
        calls[0].query.contains("{...on User{name}}"),
        "{}",
        calls[0].query
    );
}

/// The plan: `username` comes with the reviews; accounts is asked only
/// for `name`, and for the editor, whose username nobody provided.
#[test]
fn the_plan_fetches_only_what_was_not_provided() {
    let subgraphs = [("reviews", REVIEWS), ("accounts", ACCOUNTS)];
    let query = "{ topReviews { author { username name } editor { username } } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
