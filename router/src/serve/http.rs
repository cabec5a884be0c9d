//! The axum app: `POST /graphql`, `GET /graphql?query=...`, `GET /health`.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::{
    Extension, Json, Router,
    body::{Body, to_bytes},
    extract::{ConnectInfo, FromRequestParts, Query, Request, State, ws::WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use platform::auth::{Viewer, bearer_token};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowOrigin, CorsLayer},
    trace::TraceLayer,
};

use super::{
    pipeline::{self, GraphQLRequest, Outcome, ResponseBody},
    runtime::Runtime,
};
use crate::edge::rate_limit;

/// Builds the router's HTTP app for `runtime` (no socket, so tests can call
/// it directly).
pub fn app(runtime: Arc<Runtime>) -> Router {
    let cors = cors(&runtime.config.cors_allow_origins);
    let base = if runtime.config.playground {
        super::playground::routes()
    } else {
        Router::new()
    };
    let router = base
        .route("/graphql", get(get_graphql).post(post_graphql))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(runtime);
    match cors {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
    )
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    into_response(Outcome::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        "Internal server error",
    ))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "UP" }))
}

async fn metrics(State(runtime): State<Arc<Runtime>>) -> Response {
    runtime.metrics.exposition()
}

/// Runs the pipeline (once rate limits let the request through) and
/// records the request's metrics.
async fn run(runtime: &Runtime, request: GraphQLRequest, ip: Option<IpAddr>) -> Response {
    let started = std::time::Instant::now();
    let requested = request.operation_name.clone();
    let outcome = match rate_limit::admit(runtime, &request, ip).await {
        Ok(()) => pipeline::handle(runtime, request).await,
        Err(limited) => limited,
    };
    runtime.metrics.record_request(
        outcome.operation.as_deref().or(requested.as_deref()),
        outcome.status.as_u16(),
        outcome.body.has_errors(),
        started,
    );
    into_response(outcome)
}

fn into_response(outcome: Outcome) -> Response {
    let retry_after = rate_limit::retry_after(&outcome);
    let mut response = match outcome.body {
        ResponseBody::Value(value) => (outcome.status, Json(value)).into_response(),
        ResponseBody::Text { json, .. } => (outcome.status, json).into_response(),
    };
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    response
}

/// The caller named by the `Authorization` header: `Ok(None)` without
/// one, an `UNAUTHENTICATED` 401 for a bad one.
pub(crate) async fn authenticate(
    runtime: &Runtime,
    authorization: Option<&str>,
) -> Result<Option<Viewer>, Outcome> {
    let unauthenticated =
        |message: String| Outcome::error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message);
    let token = bearer_token(authorization).map_err(|e| unauthenticated(e.to_string()))?;
    match (token, &runtime.verifier) {
        (Some(token), Some(verifier)) => verifier
            .verify(token)
            .await
            .map(Some)
            .map_err(|e| unauthenticated(e.to_string())),
        _ => Ok(None),
    }
}

/// The client headers a subgraph gets: identity only. Subgraphs verify the
/// JWT themselves.
fn forwarded(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        out.insert(header::AUTHORIZATION, auth.clone());
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostBody {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Value>,
    extensions: Option<Value>,
}

/// A browser can send `text/plain`, form and multipart bodies across
/// origins without a CORS preflight; refusing them keeps cross-site forms
/// from running mutations (CSRF).
fn is_simple_request_type(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data"
    )
}

async fn post_graphql(
    State(runtime): State<Arc<Runtime>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ip = rate_limit::client_ip(&runtime, &headers, peer.map(|p| p.0.0));
    if is_simple_request_type(&headers) {
        return into_response(Outcome::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Send GraphQL requests as application/json",
        ));
    }
    let limit = runtime.config.limits.max_body_bytes;
    let bytes = match to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return into_response(Outcome::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                format!("The request body is larger than {limit} bytes"),
            ));
        }
    };
    let parsed: PostBody = match serde_json::from_slice(&bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            return into_response(Outcome::error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                format!("The request body is not a GraphQL request in JSON: {e}"),
            ));
        }
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match authenticate(&runtime, authorization).await {
        Ok(viewer) => viewer,
        Err(outcome) => return into_response(outcome),
    };
    let request = GraphQLRequest {
        viewer,
        extensions: parsed.extensions,
        query: parsed.query,
        operation_name: parsed.operation_name,
        variables: parsed.variables,
        is_get: false,
        forwarded_headers: forwarded(&headers),
    };
    run(&runtime, request, ip).await
}

async fn get_graphql(State(runtime): State<Arc<Runtime>>, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let wants_websocket = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if wants_websocket {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let ip = rate_limit::client_ip(&runtime, &parts.headers, peer);
        return match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => super::ws::upgrade(runtime, upgrade, parts.headers, ip),
            Err(rejection) => rejection.into_response(),
        };
    }
    let headers = parts.headers;
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = rate_limit::client_ip(&runtime, &headers, peer);
    let Ok(Query(params)) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri) else {
        return into_response(Outcome::error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "The query string is malformed",
        ));
    };
    let variables = match params.get("variables").filter(|v| !v.is_empty()) {
        None => None,
        Some(raw) => match serde_json::from_str(raw) {
            Ok(value) => Some(value),
            Err(e) => {
                return into_response(Outcome::error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    format!("`variables` is not JSON: {e}"),
                ));
            }
        },
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match authenticate(&runtime, authorization).await {
        Ok(viewer) => viewer,
        Err(outcome) => return into_response(outcome),
    };
    let extensions = match params.get("extensions").filter(|v| !v.is_empty()) {
        None => None,
        Some(raw) => match serde_json::from_str(raw) {
            Ok(value) => Some(value),
            Err(e) => {
                return into_response(Outcome::error(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    format!("`extensions` is not JSON: {e}"),
                ));
            }
        },
    };
    let request = GraphQLRequest {
        viewer,
        extensions,
        query: params.get("query").cloned(),
        operation_name: params.get("operationName").cloned(),
        variables,
        is_get: true,
        forwarded_headers: forwarded(&headers),
    };
    run(&runtime, request, ip).await
}
