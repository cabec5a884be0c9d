//! Subgraph transport: a [`SubgraphClient`] trait keyed by service name, and
//! its HTTP implementation on hyper-util's pooled keep-alive client.

use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{HeaderMap, Method, Request, Uri, header};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde_json::Value as Json;

use super::value::{Object, Value};
use crate::response::GraphQLError;

/// One GraphQL request to a subgraph, its body written once: retries and
/// de-duplication share it instead of copying the representations.
#[derive(Debug, Clone)]
pub struct SubgraphRequest {
    /// `{"query": ..., "variables": ...}`.
    pub body: Bytes,
    /// Client headers forwarded to the subgraph (e.g. `Authorization`).
    pub headers: HeaderMap,
    /// A query (never a mutation or subscription): an identical in-flight
    /// request may answer it too, and a failed connection may be retried.
    pub idempotent: bool,
}

impl SubgraphRequest {
    pub fn new(query: &str, variables: &Object, headers: HeaderMap, idempotent: bool) -> Self {
        let mut body = Vec::with_capacity(query.len() + 64);
        body.extend_from_slice(b"{\"query\":");
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut body, query);
        body.extend_from_slice(b",\"variables\":");
        Value::write_object(variables, &mut body);
        body.push(b'}');
        Self {
            body: body.into(),
            headers,
            idempotent,
        }
    }
}

/// A subgraph's GraphQL response.
#[derive(Debug, Clone, Default)]
pub struct SubgraphResponse {
    pub data: Option<Value>,
    pub errors: Vec<GraphQLError>,
}

impl SubgraphResponse {
    /// Parses a response body (its strings stay slices of `body`);
    /// anything that is not a GraphQL response object is an error.
    pub fn from_json(body: &Bytes) -> Result<Self, SubgraphError> {
        let value = Value::parse(body)
            .map_err(|e| SubgraphError::InvalidResponse(format!("not JSON: {e}")))?;
        Self::from_tree(value)
    }

    /// A response already parsed (a subscription event's payload); anything
    /// that is not a GraphQL response object is an error.
    pub fn from_value(value: &Json) -> Result<Self, SubgraphError> {
        Self::from_tree(Value::from(value))
    }

    fn from_tree(value: Value) -> Result<Self, SubgraphError> {
        let Value::Object(mut object) = value else {
            return Err(SubgraphError::InvalidResponse(
                "not a JSON object".to_owned(),
            ));
        };
        let data = object.remove("data");
        let errors = match object.remove("errors") {
            Some(Value::Array(errors)) => errors
                .iter()
                .map(|error| GraphQLError::from_subgraph_value(Json::from(error)))
                .collect(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(SubgraphError::InvalidResponse(
                    "`errors` is not a list".to_owned(),
                ));
            }
        };
        if data.is_none() && errors.is_empty() {
            return Err(SubgraphError::InvalidResponse(
                "neither `data` nor `errors`".to_owned(),
            ));
        }
        Ok(Self { data, errors })
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum SubgraphError {
    #[error("no subgraph named {0}")]
    UnknownService(String),
    #[error("request timed out")]
    Timeout,
    #[error("request failed: {0}")]
    Transport(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("invalid response: {0}")]
    InvalidResponse(String),
    #[error("the subgraph failed repeatedly; requests are paused")]
    CircuitOpen,
}

impl SubgraphError {
    /// The `extensions.code` clients see.
    pub fn code(&self) -> &'static str {
        match self {
            SubgraphError::Timeout => "SUBREQUEST_TIMEOUT",
            SubgraphError::InvalidResponse(_) => "SUBREQUEST_MALFORMED_RESPONSE",
            SubgraphError::CircuitOpen => "SUBGRAPH_CIRCUIT_OPEN",
            _ => "SUBREQUEST_HTTP_ERROR",
        }
    }
}

/// Sends GraphQL requests to subgraphs by name. The executor only talks to
/// subgraphs through this trait.
#[async_trait]
pub trait SubgraphClient: Send + Sync {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError>;

    /// The client this one wraps, for a layer over a transport (retries,
    /// de-duplication, metrics). Subscriptions pass through layers to the
    /// transport untouched: none of them applies to a long-lived stream.
    fn inner(&self) -> Option<&dyn SubgraphClient> {
        None
    }

    /// Opens a subscription; each item is one event's response. The
    /// upstream subscription ends when the stream is dropped.
    async fn subscribe(
        &self,
        service: &str,
        request: SubgraphRequest,
        init_payload: Json,
    ) -> Result<EventStream, SubgraphError> {
        match self.inner() {
            Some(inner) => inner.subscribe(service, request, init_payload).await,
            None => Err(SubgraphError::Transport(format!(
                "subscriptions to {service} are not supported by this transport"
            ))),
        }
    }
}

/// The events of a subgraph subscription.
pub type EventStream = futures::stream::BoxStream<'static, Result<SubgraphResponse, SubgraphError>>;

/// Where and how to reach one subgraph.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: Uri,
    pub timeout: Duration,
    /// Speak HTTP/2 without TLS from the first byte (h2c with prior
    /// knowledge): one multiplexed connection instead of a pool.
    pub http2: bool,
}

/// HTTP/1.1 keep-alive connections pooled per host by hyper-util, or
/// HTTP/2 (h2c) for subgraphs configured for it.
pub struct HttpSubgraphClient {
    http1: Client<HttpConnector, Full<Bytes>>,
    http2: Client<HttpConnector, Full<Bytes>>,
    endpoints: HashMap<String, Endpoint>,
    max_response_bytes: usize,
}

impl HttpSubgraphClient {
    pub fn new(endpoints: HashMap<String, Endpoint>, max_response_bytes: usize) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(5)));
        let http1 = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build(connector.clone());
        let http2 = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .http2_only(true)
            .build(connector);
        Self {
            http1,
            http2,
            endpoints,
            max_response_bytes,
        }
    }

    /// A client for other endpoints (or another response limit) on this
    /// one's connection pools: a reload that changes one subgraph's URL or
    /// timeout keeps the open connections to the others.
    pub fn with_endpoints(
        &self,
        endpoints: HashMap<String, Endpoint>,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            http1: self.http1.clone(),
            http2: self.http2.clone(),
            endpoints,
            max_response_bytes,
        }
    }

    fn endpoint(&self, service: &str) -> Result<&Endpoint, SubgraphError> {
        self.endpoints
            .get(service)
            .ok_or_else(|| SubgraphError::UnknownService(service.to_owned()))
    }

    async fn send(
        &self,
        endpoint: &Endpoint,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(endpoint.url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                header::ACCEPT,
                "application/graphql-response+json, application/json",
            );
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(Full::new(request.body))
            .map_err(|e| SubgraphError::Transport(e.to_string()))?;
        let client = if endpoint.http2 {
            &self.http2
        } else {
            &self.http1
        };
        let response = client
            .request(http_request)
            .await
            .map_err(|e| SubgraphError::Transport(error_chain(&e)))?;
        let status = response.status();
        let bytes = Limited::new(response.into_body(), self.max_response_bytes)
            .collect()
            .await
            .map_err(|e| SubgraphError::Transport(format!("reading the response: {e}")))?
            .to_bytes();
        match SubgraphResponse::from_json(&bytes) {
            Ok(parsed) => Ok(parsed),
            // A non-2xx status without a GraphQL body is reported as the status.
            Err(_) if !status.is_success() => Err(SubgraphError::Status(status.as_u16())),
            Err(e) => Err(e),
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// `call` to `endpoint`, given up as [`SubgraphError::Timeout`] after the
/// endpoint's timeout.
async fn within_timeout<T>(
    endpoint: &Endpoint,
    call: impl Future<Output = Result<T, SubgraphError>>,
) -> Result<T, SubgraphError> {
    tokio::time::timeout(endpoint.timeout, call)
        .await
        .map_err(|_| SubgraphError::Timeout)?
}

#[async_trait]
impl SubgraphClient for HttpSubgraphClient {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        let endpoint = self.endpoint(service)?;
        within_timeout(endpoint, self.send(endpoint, request)).await
    }

    async fn subscribe(
        &self,
        service: &str,
        request: SubgraphRequest,
        init_payload: Json,
    ) -> Result<EventStream, SubgraphError> {
        let endpoint = self.endpoint(service)?;
        let opening = super::upstream_ws::subscribe(&endpoint.url, request, init_payload);
        within_timeout(endpoint, opening).await
    }
}
