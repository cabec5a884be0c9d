//! `POST /internal/stock/reserve` and `/internal/stock/release`.

use axum::{
    Json,
    extract::{State, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::{InternalState, error, internal_error};
use crate::{
    internal_api::{ReleaseRequest, ReleaseResponse, ReserveRequest, ReserveResponse},
    store::ReserveError,
};

pub async fn reserve(
    State(state): State<InternalState>,
    body: Result<Json<ReserveRequest>, JsonRejection>,
) -> Response {
    let Json(request) = match body {
        Ok(body) => body,
        Err(rejection) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                None,
                Some(&rejection.body_text()),
            );
        }
    };
    match state
        .catalog
        .reserve_stock(&request.order_id, &request.lines)
        .await
    {
        Ok(outcome) => {
            tracing::info!(order_id = %request.order_id, repeat = !outcome.newly_reserved, "stock reserved");
            Json(ReserveResponse {
                lines: outcome.lines,
            })
            .into_response()
        }
        Err(ReserveError::BadRequest(message)) => {
            error(StatusCode::BAD_REQUEST, "BAD_REQUEST", None, Some(&message))
        }
        Err(ReserveError::UnknownSku(sku)) => {
            error(StatusCode::NOT_FOUND, "UNKNOWN_SKU", Some(sku), None)
        }
        Err(ReserveError::OutOfStock(sku)) => {
            error(StatusCode::CONFLICT, "OUT_OF_STOCK", Some(sku), None)
        }
        Err(ReserveError::Internal(e)) => internal_error(e),
    }
}

pub async fn release(
    State(state): State<InternalState>,
    body: Result<Json<ReleaseRequest>, JsonRejection>,
) -> Response {
    let Json(request) = match body {
        Ok(body) => body,
        Err(rejection) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                None,
                Some(&rejection.body_text()),
            );
        }
    };
    match state.catalog.release_stock(&request.order_id).await {
        Ok(released) => Json(ReleaseResponse { released }).into_response(),
        Err(e) => internal_error(e),
    }
}
