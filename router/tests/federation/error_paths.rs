//! Errors from entity fetches deep in lists carry the client's full path,
//! list indices included, and nothing of the router's own (`@`,
//! `_entities`): products → reviews (a list, from `reviews`) → author
//! (from `accounts`, whose `email` fails for one user).

use serde_json::{Value, json};

use crate::{helpers::Federation, scenario::ScenarioSubgraph, scripted::ScriptedSubgraph};

const PRODUCTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { product: Product products: [Product] }
    type Product @key(fields: "upc") { upc: String! name: String }
"#;

const REVIEWS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }
    type Review { body: String author: User }
    type User @key(fields: "id") { id: ID! }
"#;

const ACCOUNTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type User @key(fields: "id") { id: ID! name: String email: String }
"#;

fn products() -> Value {
    json!([{"upc": "p1", "name": "Table"}, {"upc": "p2", "name": "Couch"}])
}

fn reviews() -> ScenarioSubgraph {
    let review = |body: &str, author: &str| json!({"body": body, "author": {"id": author}});
    ScenarioSubgraph::new(
        "reviews",
        REVIEWS,
        json!({"Product": [
            {"upc": "p1", "reviews": [review("Love it", "u1"), review("Meh", "u2"), review("Again", "u2")]},
            {"upc": "p2", "reviews": [review("Soft", "u2")]}
        ]}),
    )
}

async fn shop(accounts: crate::helpers::Member) -> Federation {
    let products = ScenarioSubgraph::new(
        "products",
        PRODUCTS,
        json!({"Query": {"product": products()[0], "products": products()}, "Product": products()}),
    );
    Federation::start(vec![
        products.into_member(),
        reviews().into_member(),
        accounts,
    ])
    .await
}

fn accounts() -> crate::helpers::Member {
    let users = json!([{"id": "u1", "name": "Ada"}, {"id": "u2", "name": "Alan"}]);
    ScenarioSubgraph::new("accounts", ACCOUNTS, json!({"User": users}))
        .field("User.email", |user, _| match user["id"].as_str() {
            Some("u2") => Err("email is private".into()),
            _ => Ok(json!("ada@example.com")),
        })
        .into_member()
}

fn private(path: Value) -> Value {
    // apollo-compiler's executor words a resolver's error this way.
    json!({"message": "resolver error: email is private", "path": path, "extensions": {"serviceName": "accounts"}})
}

#[tokio::test]
async fn an_entity_error_in_a_list_names_every_item_it_stands_for() {
    let federation = shop(accounts()).await;
    assert_eq!(
        federation
            .query("{ product { reviews { body author { email } } } }")
            .await,
        json!({
            "data": {"product": {"reviews": [
                {"body": "Love it", "author": {"email": "ada@example.com"}},
                {"body": "Meh", "author": {"email": null}},
                {"body": "Again", "author": {"email": null}}
            ]}},
            "errors": [
                private(json!(["product", "reviews", 1, "author", "email"])),
                private(json!(["product", "reviews", 2, "author", "email"]))
            ]
        })
    );
    // One representation per user, though u2 wrote two reviews.
    assert_eq!(
        federation.log("accounts")[0].variables["representations"],
        json!([{"__typename": "User", "id": "u1"}, {"__typename": "User", "id": "u2"}])
    );
}

#[tokio::test]
async fn errors_in_nested_lists_carry_every_index() {
    let federation = shop(accounts()).await;
    let body = federation
        .query("{ products { reviews { author { name email } } } }")
        .await;
    let paths: Vec<&Value> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["path"])
        .collect();
    assert_eq!(
        paths,
        [
            json!(["products", 0, "reviews", 1, "author", "email"]),
            json!(["products", 0, "reviews", 2, "author", "email"]),
            json!(["products", 1, "reviews", 0, "author", "email"])
        ]
        .iter()
        .collect::<Vec<_>>(),
        "{body}"
    );
    assert_eq!(
        body["data"]["products"][1]["reviews"][0]["author"]["name"],
        "Alan"
    );
}

/// accounts answering like async-graphql 7, whose entity errors leave out
/// the index (`["_entities", "email"]`), or without any path.
async fn shop_with_accounts_erring(error: Value) -> Federation {
    let accounts = ScriptedSubgraph::new("accounts", ACCOUNTS).reply(
        "_entities",
        json!({"data": {"_entities": [{"email": "ada@example.com"}, null]}, "errors": [error]}),
    );
    shop(accounts.into_member()).await
}

#[tokio::test]
async fn an_entity_error_without_an_index_lands_on_the_entities_that_failed() {
    let federation = shop_with_accounts_erring(
        json!({"message": "email is private", "path": ["_entities", "email"]}),
    )
    .await;
    let body = federation
        .query("{ product { reviews { author { email } } } }")
        .await;
    assert_eq!(
        body["errors"],
        json!([
            {"message": "email is private", "path": ["product", "reviews", 1, "author", "email"], "extensions": {"serviceName": "accounts"}},
            {"message": "email is private", "path": ["product", "reviews", 2, "author", "email"], "extensions": {"serviceName": "accounts"}}
        ]),
        "{body}"
    );
}

#[tokio::test]
async fn an_entity_error_with_no_path_stays_one_error_without_a_path() {
    let federation = shop_with_accounts_erring(json!({"message": "accounts is degraded"})).await;
    let body = federation
        .query("{ product { reviews { author { email } } } }")
        .await;
    // Where it happened is unknown: a guessed path would point at data the
    // error may not be about, and one copy per object would multiply it.
    assert_eq!(
        body["errors"],
        json!([{"message": "accounts is degraded", "extensions": {"serviceName": "accounts"}}]),
        "{body}"
    );
}

const PROTECTED_ACCOUNTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated"])
    type User @key(fields: "id") { id: ID! name: String email: String @authenticated }
"#;

#[tokio::test]
async fn an_unauthorized_field_deep_in_lists_is_reported_at_each_of_its_places() {
    let users = json!([{"id": "u1", "name": "Ada", "email": "a@x"}, {"id": "u2", "name": "Alan", "email": "b@x"}]);
    let accounts = ScenarioSubgraph::new("accounts", PROTECTED_ACCOUNTS, json!({"User": users}));
    let federation = shop(accounts.into_member()).await;
    let body = federation
        .query("{ product { reviews { author { name email } } } }")
        .await;
    let unauthorized = |i: usize| {
        json!({
            "message": "Unauthorized field or type",
            "path": ["product", "reviews", i, "author", "email"],
            "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"}
        })
    };
    assert_eq!(
        body,
        json!({
            "data": {"product": {"reviews": [
                {"author": {"name": "Ada", "email": null}},
                {"author": {"name": "Alan", "email": null}},
                {"author": {"name": "Alan", "email": null}}
            ]}},
            "errors": [unauthorized(0), unauthorized(1), unauthorized(2)]
        })
    );
    let accounts = federation.log("accounts");
    assert!(
        accounts.iter().all(|call| !call.query.contains("email")),
        "{accounts:?}"
    );
}
