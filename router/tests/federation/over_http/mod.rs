//! GraphQL over HTTP by the specification: the response media type follows
//! `Accept`, `application/graphql-response+json` gets that media type's
//! status codes, POST bodies must be declared JSON in UTF-8, and request
//! parameters must have their types. Exact status, Content-Type and body.
//! Here: the router under test and how a test speaks to it.

mod media_types;
mod requests;

use platform::testing;
use reqwest::RequestBuilder;
use serde_json::{Value, json};

use crate::helpers::{TestRouter, TestSubgraphs};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";
const ACCEPT_GRAPHQL: (&str, &str) = ("accept", "application/graphql-response+json");
const AS_JSON: (&str, &str) = ("content-type", "application/json");

async fn router() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    (subgraphs, router)
}

/// The router's answer: status, Content-Type, JSON body.
async fn send(request: RequestBuilder, headers: &[(&str, &str)]) -> (u16, String, Value) {
    let mut request = request;
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    testing::status_type_and_json(request.send().await.expect("router answers")).await
}

async fn post(router: &TestRouter, headers: &[(&str, &str)], body: &str) -> (u16, String, Value) {
    send(
        router
            .client
            .post(router.graphql_url())
            .body(body.to_owned()),
        headers,
    )
    .await
}

async fn get(
    router: &TestRouter,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> (u16, String, Value) {
    send(
        router.client.get(router.graphql_url()).query(query),
        headers,
    )
    .await
}

fn error(code: &str, message: &str) -> Value {
    json!({"errors": [{"message": message, "extensions": {"code": code}}]})
}

const USERS: &str = r#"{"query": "{ users { id } }"}"#;

fn users() -> Value {
    json!({"data": {"users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}})
}
