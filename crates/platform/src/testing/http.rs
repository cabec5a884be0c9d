//! GraphQL over HTTP the way the tests speak it to a service's own port.

use std::time::Duration;

use serde_json::{Value, json};

/// The HTTP client of a test: a generous timeout, so a stuck service fails
/// the test instead of hanging it.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
}

/// A `POST {base}/graphql` of `query` and `variables`, with a bearer
/// `token` when given; not sent yet, so callers may add headers.
pub fn graphql_request(
    client: &reqwest::Client,
    base: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> reqwest::RequestBuilder {
    let request = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

/// Sends [`graphql_request`] and returns the whole JSON response body,
/// whatever the HTTP status.
pub async fn post_graphql(
    client: &reqwest::Client,
    base: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> reqwest::Result<Value> {
    graphql_request(client, base, query, variables, token)
        .send()
        .await?
        .json()
        .await
}

/// A response's status, `Content-Type` and JSON body, for tests that check
/// all three; panics (naming the text) when the body is not JSON.
pub async fn status_type_and_json(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {text}"));
    (status, content_type, body)
}

/// The `extensions.code` of a response's first GraphQL error.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}
