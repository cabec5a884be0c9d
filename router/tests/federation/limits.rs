//! The router's depth and nesting limits stay within what the query planner
//! can parse: a document the router admits is planned, one it does not is a
//! 400 with a GraphQL error, never a 500 from the planner.

use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, SimpleObject};
use router::{RouterConfig, compose::SubgraphDefinition, compose::compose, plan::MAX_NESTING};
use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraph, spawn_subgraph};

/// One link of an endless chain: `{ start { next { next { ... } } } }`.
#[derive(SimpleObject)]
#[graphql(complex)]
struct Link {
    position: i32,
}

#[async_graphql::ComplexObject]
impl Link {
    async fn next(&self) -> Link {
        Link {
            position: self.position + 1,
        }
    }

    async fn label(&self, prefix: String) -> String {
        format!("{prefix}{}", self.position)
    }
}

struct ChainQuery;

#[Object(name = "Query")]
impl ChainQuery {
    async fn start(&self) -> Link {
        Link { position: 1 }
    }
}

/// A subgraph that admits any depth the router may send it.
fn chain_schema() -> Schema<ChainQuery, EmptyMutation, EmptySubscription> {
    Schema::build(ChainQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .limit_recursive_depth(4 * MAX_NESTING)
        .finish()
}

async fn setup(config: RouterConfig) -> (TestSubgraph, TestRouter) {
    let subgraph = spawn_subgraph(chain_schema()).await;
    let sdl = chain_schema().sdl_with_options(async_graphql::SDLExportOptions::new().federation());
    let supergraph = compose(&[SubgraphDefinition::new("chain", subgraph.url.clone(), sdl)])
        .unwrap_or_else(|errors| panic!("the chain composes: {errors:?}"))
        .into_sdl();
    let urls = [("chain".to_owned(), subgraph.url.clone())].into();
    let router = TestRouter::spawn_with_sdl(&supergraph, urls, config).await;
    (subgraph, router)
}

/// `{ start { next { ... label(prefix: "#") } } }`, `depth` fields deep,
/// each selection set wrapped in `... on Link { }` when `fragments`.
fn chain(depth: usize, fragments: bool) -> String {
    let (open, close) = if fragments {
        ("{ ... on Link { ", " } }")
    } else {
        ("{ ", " }")
    };
    let mut query = format!("{{ start {open}");
    for _ in 2..depth {
        query.push_str(&format!("next {open}"));
    }
    query.push_str("label(prefix: \"#\")");
    for _ in 1..depth {
        query.push_str(close);
    }
    query.push_str(" }");
    query
}

/// The `label` at the end of the chain: the response nests `next` under
/// `start` `depth - 2` times.
fn last_label(body: &Value, depth: usize) -> &Value {
    let mut link = &body["data"]["start"];
    for _ in 2..depth {
        link = &link["next"];
    }
    &link["label"]
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_document_deeper_than_the_planner_parses_is_a_400() {
    let (subgraph, router) = setup(RouterConfig::default()).await;
    // Deeper than the planner's parser goes (50 open brackets).
    let (status, body) = router.query(&chain(55, false), json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "GRAPHQL_PARSE_FAILED", "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert!(subgraph.log.all().is_empty());
}

#[tokio::test]
async fn a_query_at_the_deepest_limit_the_planner_allows_is_answered() {
    let mut config = RouterConfig::default();
    config.limits.max_depth = MAX_NESTING;
    let (_subgraph, router) = setup(config).await;
    let (status, body) = router.query(&chain(MAX_NESTING, false), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        last_label(&body, MAX_NESTING),
        &json!(format!("#{}", MAX_NESTING - 1))
    );

    let (status, body) = router
        .query(&chain(MAX_NESTING + 1, false), json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn every_level_of_the_default_depth_may_sit_in_a_fragment() {
    let (_subgraph, router) = setup(RouterConfig::default()).await;
    let depth = platform::limits::MAX_QUERY_DEPTH;
    let (status, body) = router.query(&chain(depth, true), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(last_label(&body, depth), &json!(format!("#{}", depth - 1)));

    let (status, body) = router.query(&chain(depth + 1, false), json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"errors": [{
            "message": format!("the operation is {} levels deep; the limit is {depth}", depth + 1),
            "extensions": {"code": "OPERATION_LIMIT_EXCEEDED"}
        }]})
    );
}
