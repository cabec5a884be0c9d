//! `GET /internal/products?after=<id>&limit=<n>`: product documents for the
//! search index, paged by id; `?ids=<id>,<id>`: the documents of those
//! products.

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contracts::{
    error::BAD_REQUEST,
    product::{DEFAULT_LIMIT, MAX_LIMIT},
};
use serde::Deserialize;

use super::{InternalState, error, internal_error};

#[derive(Deserialize)]
pub struct Params {
    after: Option<String>,
    limit: Option<i64>,
    ids: Option<String>,
}

pub async fn list(
    State(state): State<InternalState>,
    params: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return error(
            StatusCode::BAD_REQUEST,
            BAD_REQUEST,
            None,
            Some("after is an id, limit a number"),
        );
    };
    if let Some(ids) = &params.ids {
        let ids: Vec<String> = ids
            .split(',')
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        if ids.len() as i64 > MAX_LIMIT {
            return error(
                StatusCode::BAD_REQUEST,
                BAD_REQUEST,
                None,
                Some("at most 500 ids"),
            );
        }
        return match state.catalog.product_documents_by_ids(&ids).await {
            Ok(page) => Json(page).into_response(),
            Err(e) => internal_error(e),
        };
    }
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return error(
            StatusCode::BAD_REQUEST,
            BAD_REQUEST,
            None,
            Some("limit is 1 to 500"),
        );
    }
    match state
        .catalog
        .product_documents(params.after.as_deref(), limit)
        .await
    {
        Ok(page) => Json(page).into_response(),
        Err(e) => internal_error(e),
    }
}
