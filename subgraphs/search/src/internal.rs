//! `POST /internal/reindex` (header `x-internal-token`): a full reindex
//! inside the running service, for `shopgraph search reindex` while the
//! service holds its tantivy index. Not part of the public graph.

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::json;

use crate::{
    catalog_client::{CatalogClient, INTERNAL_TOKEN_HEADER},
    index::SharedIndex,
    reindex::rebuild_from,
};

#[derive(Clone)]
pub struct InternalState {
    pub index: SharedIndex,
    pub catalog: CatalogClient,
    /// Without a token configured the endpoint does not exist.
    pub token: Option<String>,
}

pub fn router(state: InternalState) -> Router {
    Router::new()
        .route("/internal/reindex", post(reindex))
        .with_state(state)
}

async fn reindex(State(state): State<InternalState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(INTERNAL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !same(given.as_bytes(), expected.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "code": "UNAUTHORIZED" })),
        )
            .into_response();
    }
    match rebuild_from(state.index.as_ref(), &state.catalog).await {
        Ok(searchable) => Json(json!({ "searchable": searchable })).into_response(),
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, "reindex failed");
            (
                StatusCode::BAD_GATEWAY,
                Json(
                    json!({ "code": "REINDEX_FAILED", "message": "see the search service's log" }),
                ),
            )
                .into_response()
        }
    }
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
