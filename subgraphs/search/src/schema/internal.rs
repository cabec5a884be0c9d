//! `POST /internal/reindex` (header `x-internal-token`): a full reindex
//! inside the running service, for `shopgraph search reindex` while the
//! service holds its tantivy index; an entry point beside GraphQL, calling
//! the service like the resolvers do. Not part of the public graph.

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::json;

use crate::{
    service::reindex::rebuild_from,
    store::{SharedIndex, clients::CatalogClient},
};

#[derive(Clone)]
pub struct InternalState {
    pub index: SharedIndex,
    pub catalog: CatalogClient,
    /// Without a token configured the endpoint does not exist.
    pub token: Option<String>,
}

/// `/internal/reindex` behind the internal token; without a token
/// configured the endpoint does not exist.
pub fn router(state: InternalState) -> Router {
    let Some(token) = state.token.clone() else {
        return Router::new();
    };
    let routes = Router::new()
        .route("/internal/reindex", post(reindex))
        .with_state(state);
    platform::internal::require_token(routes, &token)
}

async fn reindex(State(state): State<InternalState>) -> Response {
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
