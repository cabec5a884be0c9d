//! The axum app: `POST /graphql`, `GET /graphql?query=...` (both by the
//! GraphQL-over-HTTP specification, see `platform::graphql_http`), `GET /health`.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::{
    Extension, Json, Router,
    body::Body,
    extract::{ConnectInfo, FromRequestParts, Query, Request, State, ws::WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use platform::{
    auth::{Viewer, bearer_token},
    graphql_http::{self, Refusal, RequestParams, ResponseMedia, check_content_type, read_body},
};
use serde_json::{Value, json};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowOrigin, CorsLayer},
    trace::TraceLayer,
};

use super::{
    admission,
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
    // The request (and its Accept header) is gone by now.
    into_response(
        ResponseMedia::Json,
        Outcome::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "Internal server error",
        ),
    )
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "UP" }))
}

async fn metrics(State(runtime): State<Arc<Runtime>>) -> Response {
    runtime.metrics.exposition()
}

/// Runs the pipeline (rate limits included) and records the request's
/// metrics.
async fn run(
    runtime: &Runtime,
    media: ResponseMedia,
    request: GraphQLRequest,
    ip: Option<IpAddr>,
) -> Response {
    let started = std::time::Instant::now();
    let requested = request.operation_name.clone();
    let outcome = pipeline::handle(runtime, request, ip).await;
    runtime.metrics.record_request(
        outcome.operation.as_deref().or(requested.as_deref()),
        outcome.status.as_u16(),
        outcome.body.has_errors(),
        started,
    );
    into_response(media, outcome)
}

/// The outcome in `media`, with that media type's status rule.
fn into_response(media: ResponseMedia, outcome: Outcome) -> Response {
    let retry_after = admission::retry_after(&outcome);
    let has_data = outcome.body.has_data();
    let json = match outcome.body {
        ResponseBody::Value(value) => value.to_string(),
        ResponseBody::Text { json, .. } => json,
    };
    let mut response = graphql_http::response(media, outcome.status, has_data, json);
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

/// The client headers a subgraph gets: identity (subgraphs verify the JWT
/// themselves) and the client's address as the router determined it, in
/// `X-Forwarded-For`, replacing whatever the client sent there, so that a
/// subgraph can limit per client (login attempts) behind the router.
fn forwarded(headers: &HeaderMap, client: Option<IpAddr>) -> HeaderMap {
    let mut out = HeaderMap::new();
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        out.insert(header::AUTHORIZATION, auth.clone());
    }
    if let Some(ip) = client.and_then(|ip| HeaderValue::from_str(&ip.to_string()).ok()) {
        out.insert(X_FORWARDED_FOR, ip);
    }
    out
}

const X_FORWARDED_FOR: header::HeaderName =
    header::HeaderName::from_static(platform::server::FORWARDED_FOR);

async fn post_graphql(
    State(runtime): State<Arc<Runtime>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let media = match ResponseMedia::negotiate(&headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(ResponseMedia::Json),
    };
    let ip = rate_limit::client_ip(
        runtime.rate_limiter.as_deref(),
        &headers,
        peer.map(|p| p.0.0),
    );
    let params = match post_params(&runtime, &headers, body).await {
        Ok(params) => params,
        Err(refusal) => return refusal.into_response(media),
    };
    match graphql_request(&runtime, params, &headers, false, ip).await {
        Ok(request) => run(&runtime, media, request, ip).await,
        Err(outcome) => into_response(media, outcome),
    }
}

/// The parameters of a POST: a JSON body (which also keeps cross-site
/// forms out, see [`check_content_type`]) within the body limit.
async fn post_params(
    runtime: &Runtime,
    headers: &HeaderMap,
    body: Body,
) -> Result<RequestParams, Refusal> {
    check_content_type(headers)?;
    let body = read_body(body, runtime.config.limits.max_body_bytes).await?;
    RequestParams::from_json(&body)
}

/// The pipeline's request for well-formed parameters, with the caller its
/// bearer token names.
async fn graphql_request(
    runtime: &Runtime,
    params: RequestParams,
    headers: &HeaderMap,
    is_get: bool,
    client: Option<IpAddr>,
) -> Result<GraphQLRequest, Outcome> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    Ok(GraphQLRequest {
        viewer: authenticate(runtime, authorization).await?,
        extensions: params.extensions,
        query: params.query,
        operation_name: params.operation_name,
        variables: params.variables,
        is_get,
        forwarded_headers: forwarded(headers, client),
    })
}

async fn get_graphql(State(runtime): State<Arc<Runtime>>, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let wants_websocket = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let ip = rate_limit::client_ip(runtime.rate_limiter.as_deref(), &parts.headers, peer);
    if wants_websocket {
        return match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(upgrade) => super::ws::upgrade(runtime, upgrade, parts.headers, ip),
            Err(rejection) => rejection.into_response(),
        };
    }
    let media = match ResponseMedia::negotiate(&parts.headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(ResponseMedia::Json),
    };
    let params = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "The query string is malformed",
            )
        })
        .and_then(|Query(params)| RequestParams::from_query(&params));
    let params = match params {
        Ok(params) => params,
        Err(refusal) => return refusal.into_response(media),
    };
    match graphql_request(&runtime, params, &parts.headers, true, ip).await {
        Ok(request) => run(&runtime, media, request, ip).await,
        Err(outcome) => into_response(media, outcome),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subgraphs_get_the_identity_and_the_client_address_the_router_determined() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        headers.insert(header::COOKIE, HeaderValue::from_static("session=1"));
        // A client naming its own address does not get to choose the one
        // a subgraph limits it by.
        headers.insert(X_FORWARDED_FOR, HeaderValue::from_static("198.51.100.1"));
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let sent = forwarded(&headers, Some(client));
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(sent[header::AUTHORIZATION], "Bearer t");
        assert_eq!(sent[X_FORWARDED_FOR], "203.0.113.7");
        assert!(forwarded(&headers, None).get(X_FORWARDED_FOR).is_none());
    }
}
