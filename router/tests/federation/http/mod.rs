//! The HTTP surface: bad input gets a GraphQL error with the right status,
//! never a panic; GET serves queries only; limits are enforced.
//! Here: the routers under test and the error code of an answer.

mod browsers;
mod limits;
mod metrics_and_apq;
mod requests;

use router::RouterConfig;
use serde_json::Value;

use crate::helpers::{TestRouter, TestSubgraphs};

async fn router() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    (subgraphs, router)
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

async fn limited_router(config: RouterConfig) -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    (subgraphs, router)
}
