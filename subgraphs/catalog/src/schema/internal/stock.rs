//! `POST /internal/stock/reserve` and `/internal/stock/release`.

use axum::{
    Json,
    extract::{State, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contracts::{
    error::{BAD_REQUEST, OUT_OF_STOCK, UNKNOWN_SKU},
    stock::{ReleaseRequest, ReleaseResponse, ReserveRequest, ReserveResponse},
};

use super::{InternalState, error, internal_error};
use crate::{metrics::Reservation, service::ReserveError, store::stock::Claim};

pub async fn reserve(
    State(state): State<InternalState>,
    body: Result<Json<ReserveRequest>, JsonRejection>,
) -> Response {
    let Json(request) = match body {
        Ok(body) => body,
        Err(rejection) => {
            state
                .catalog
                .metrics()
                .reservation(Reservation::RefusedBadRequest);
            return error(
                StatusCode::BAD_REQUEST,
                BAD_REQUEST,
                None,
                Some(&rejection.body_text()),
            );
        }
    };
    let result = state
        .catalog
        .reserve_stock(&request.order_id, &request.lines)
        .await;
    state.catalog.metrics().reservation(match &result {
        Ok(outcome) => match outcome.claim {
            Claim::New => Reservation::Reserved,
            Claim::Again => Reservation::ReservedAgain,
            Claim::Held => Reservation::Repeated,
        },
        Err(ReserveError::BadRequest(_)) => Reservation::RefusedBadRequest,
        Err(ReserveError::UnknownSku(_)) => Reservation::RefusedUnknownSku,
        Err(ReserveError::OutOfStock(_)) => Reservation::RefusedOutOfStock,
        Err(ReserveError::Internal(_)) => Reservation::Failed,
    });
    match result {
        Ok(outcome) => {
            tracing::info!(order_id = %request.order_id, claim = ?outcome.claim, "stock reserved");
            Json(ReserveResponse {
                lines: outcome.lines,
            })
            .into_response()
        }
        Err(ReserveError::BadRequest(message)) => {
            error(StatusCode::BAD_REQUEST, BAD_REQUEST, None, Some(&message))
        }
        Err(ReserveError::UnknownSku(sku)) => {
            error(StatusCode::NOT_FOUND, UNKNOWN_SKU, Some(sku), None)
        }
        Err(ReserveError::OutOfStock(sku)) => {
            error(StatusCode::CONFLICT, OUT_OF_STOCK, Some(sku), None)
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
                BAD_REQUEST,
                None,
                Some(&rejection.body_text()),
            );
        }
    };
    let result = state.catalog.release_stock(&request.order_id).await;
    state
        .catalog
        .metrics()
        .release(result.as_ref().map(|released| *released).map_err(|_| ()));
    match result {
        Ok(released) => Json(ReleaseResponse { released }).into_response(),
        Err(e) => internal_error(e),
    }
}
