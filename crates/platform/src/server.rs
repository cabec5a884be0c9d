//! Serving a subgraph over HTTP: the GraphQL endpoint (POST, GET and
//! WebSocket on `/graphql`), `/health`, and graceful shutdown.

mod client_address;
mod post;

pub use client_address::{ClientAddress, FORWARDED_FOR};

use std::{future::Future, net::SocketAddr};

use async_graphql::{
    Data, ObjectType, Schema, SubscriptionType,
    http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource},
};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    Json, Router,
    extract::{FromRequestParts, State, WebSocketUpgrade},
    http::{StatusCode, request::Parts},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tokio::net::TcpListener;

use crate::{
    auth::{AuthError, JwtVerifier, bearer_token},
    db::Db,
    gql::ErrorCode,
};

/// The largest request body a subgraph's `/graphql` accepts (a larger one
/// is a 413, refused without reading past the limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Binds `addr`, reporting the port actually bound (port 0 picks one).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("binding {addr}: {e}"))?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

/// Serves `app` on `listener` until `shutdown` resolves, finishing the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Resolves on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// What the GraphQL handlers need.
pub struct GraphqlState<Q, M, S> {
    pub schema: Schema<Q, M, S>,
    pub verifier: JwtVerifier,
}

impl<Q, M, S> Clone for GraphqlState<Q, M, S> {
    fn clone(&self) -> Self {
        Self {
            schema: self.schema.clone(),
            verifier: self.verifier.clone(),
        }
    }
}

/// `/graphql` (POST, GET, WebSocket) and `/health` for a subgraph schema.
pub fn graphql_router<Q, M, S>(schema: Schema<Q, M, S>, verifier: JwtVerifier, db: Db) -> Router
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let state = GraphqlState { schema, verifier };
    Router::new()
        .route(
            "/graphql",
            get(graphql_get::<Q, M, S>).post(post::graphql_post::<Q, M, S>),
        )
        .with_state(state)
        .route("/health", get(health).with_state(db))
}

/// GET upgrades to a WebSocket for subscriptions, or shows GraphiQL to a
/// browser. (Clients query through the router, which also takes GET queries.)
async fn graphql_get<Q, M, S>(State(state): State<GraphqlState<Q, M, S>>, parts: Parts) -> Response
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let mut parts = parts;
    if let Ok(upgrade) = WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        let Ok(protocol) = GraphQLProtocol::from_request_parts(&mut parts, &()).await else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        return upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            .on_upgrade(move |socket| {
                let verifier = state.verifier.clone();
                GraphQLWebSocket::new(socket, state.schema, protocol)
                    .on_connection_init(move |payload| connection_init(verifier, payload))
                    .serve()
            });
    }
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql")
            .finish(),
    )
    .into_response()
}

/// Takes the token from a `connection_init` payload: `{"Authorization":
/// "Bearer …"}` (any case) or `{"token": "…"}`.
async fn connection_init(
    verifier: JwtVerifier,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let mut data = Data::default();
    let header = payload.as_object().and_then(|map| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.as_str().map(str::to_owned))
            .or_else(|| {
                map.get("token")
                    .and_then(|v| v.as_str())
                    .map(|t| format!("Bearer {t}"))
            })
    });
    if let Some(viewer) = authenticate(&verifier, header.as_deref())
        .await
        .map_err(|e| ErrorCode::Unauthenticated.error(e.to_string()))?
    {
        data.insert(viewer);
    }
    Ok(data)
}

/// The viewer named by an `Authorization` header value, if any.
pub async fn authenticate(
    verifier: &JwtVerifier,
    header: Option<&str>,
) -> Result<Option<crate::auth::Viewer>, AuthError> {
    match bearer_token(header)? {
        Some(token) => verifier.verify(token).await.map(Some),
        None => Ok(None),
    }
}

/// `GET /health`: 200 while the database answers, 503 when it does not.
async fn health(State(db): State<Db>) -> Response {
    match sqlx::query("SELECT 1").execute(db.pool()).await {
        Ok(_) => Json(json!({ "status": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "down" })),
            )
                .into_response()
        }
    }
}
