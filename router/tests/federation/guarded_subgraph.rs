//! A one-subgraph graph whose types carry authorization requirements of
//! their own and are reached through a union and an interface, plus
//! `@policy` on fields: the authorization tests run against it, with a
//! router that verifies tokens signed by a key of the test's.

use async_graphql::{
    EmptyMutation, EmptySubscription, ID, Interface, Object, Schema, SimpleObject, Union,
};
use platform::auth::{JwksSource, SigningKey};
use router::{
    RouterConfig, Settings,
    compose::{SubgraphDefinition, compose},
};

use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraph, spawn_subgraph};

/// The subgraph's SDL as composition reads it: the requirements are
/// declared here; the subgraph below serves the same types. The guarded
/// fields are nullable, so a denied one is a `null` in its object rather
/// than a null propagating up the list.
pub const SDL: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@authenticated", "@requiresScopes", "@policy"])

interface Node { id: ID! }

type Product implements Node {
  id: ID!
  name: String!
  cost: Int @policy(policies: [["finance"]])
}

type Account implements Node @authenticated {
  id: ID!
  email: String
}

type Ledger implements Node @requiresScopes(scopes: [["audit"]]) {
  id: ID!
  total: Int
}

union SearchResult = Product | Account | Ledger

type Query {
  search: [SearchResult!]!
  nodes: [Node!]!
  products: [Product!]!
  ledger: Ledger @requiresScopes(scopes: [["finance"]])
  payroll: Int @policy(policies: [["finance", "hr"], ["admin"]])
}
"#;

#[derive(SimpleObject, Clone)]
pub struct Product {
    id: ID,
    name: String,
    cost: Option<i32>,
}

#[derive(SimpleObject, Clone)]
pub struct Account {
    id: ID,
    email: Option<String>,
}

#[derive(SimpleObject, Clone)]
pub struct Ledger {
    id: ID,
    total: Option<i32>,
}

#[derive(Union)]
enum SearchResult {
    Product(Product),
    Account(Account),
    Ledger(Ledger),
}

#[derive(Interface)]
#[graphql(field(name = "id", ty = "&ID"))]
enum Node {
    Product(Product),
    Account(Account),
    Ledger(Ledger),
}

fn product() -> Product {
    Product {
        id: ID("p1".into()),
        name: "Kettle".into(),
        cost: Some(12),
    }
}

fn account() -> Account {
    Account {
        id: ID("a1".into()),
        email: Some("ada@example.com".into()),
    }
}

fn ledger() -> Ledger {
    Ledger {
        id: ID("l1".into()),
        total: Some(900),
    }
}

pub struct GuardedQuery;

#[Object(name = "Query")]
impl GuardedQuery {
    async fn search(&self) -> Vec<SearchResult> {
        vec![
            SearchResult::Product(product()),
            SearchResult::Account(account()),
            SearchResult::Ledger(ledger()),
        ]
    }

    async fn nodes(&self) -> Vec<Node> {
        vec![
            Node::Product(product()),
            Node::Account(account()),
            Node::Ledger(ledger()),
        ]
    }

    async fn products(&self) -> Vec<Product> {
        vec![product()]
    }

    async fn ledger(&self) -> Option<Ledger> {
        Some(ledger())
    }

    async fn payroll(&self) -> Option<i32> {
        Some(4200)
    }
}

pub fn guarded_schema() -> Schema<GuardedQuery, EmptyMutation, EmptySubscription> {
    Schema::build(GuardedQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

pub fn supergraph(url: &str) -> String {
    supergraph_of(url, SDL)
}

/// The supergraph of the guarded subgraph at `url` declaring itself `sdl`.
pub fn supergraph_of(url: &str, sdl: &str) -> String {
    compose(&[SubgraphDefinition::new("guarded", url, sdl)])
        .unwrap_or_else(|errors| panic!("the guarded subgraph composes: {errors:?}"))
        .into_sdl()
}

pub struct Guarded {
    pub subgraph: TestSubgraph,
    pub router: TestRouter,
    pub key: SigningKey,
}

/// The policies of [`SDL`], as router.yaml states them.
pub const POLICIES: &str = "authorization:
  policies:
    finance: { require_scopes: [finance] }
    hr: { require_scopes: [hr] }
    admin: { require_scopes: [admin] }
";

/// The graph behind a router configured with [`POLICIES`].
pub async fn setup() -> Guarded {
    let subgraph = spawn_subgraph(guarded_schema()).await;
    let key = SigningKey::generate().expect("key");
    let router = TestRouter::start(settings(&subgraph, &key, POLICIES)).await;
    Guarded {
        subgraph,
        router,
        key,
    }
}

/// The router's settings for `subgraph`, with `config` as router.yaml.
pub fn settings(subgraph: &TestSubgraph, key: &SigningKey, config: &str) -> Settings {
    let mut settings = Settings::new(supergraph(&subgraph.url));
    settings.subgraph_url_overrides = [("guarded".to_owned(), subgraph.url.clone())].into();
    settings.jwks = Some(JwksSource::Static(key.jwks()));
    settings.config = RouterConfig::parse(config).expect("router.yaml");
    settings
}

/// The `Unauthorized field or type` error the router reports at `path`.
pub fn unauthorized(path: Value) -> Value {
    json!({
        "message": "Unauthorized field or type",
        "path": path,
        "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"}
    })
}
