//! `GET /internal/skus/{id}`: which product a SKU on sale belongs to, so the
//! orders service can take a bare SKU id into a cart.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contracts::{error::UNKNOWN_SKU, sku::SkuOwner};

use super::{InternalState, error, internal_error};
use crate::store::Status;

pub async fn get(State(state): State<InternalState>, Path(id): Path<String>) -> Response {
    let sku = match state.catalog.skus_by_ids(std::slice::from_ref(&id)).await {
        Ok(mut skus) => skus.pop(),
        Err(e) => return internal_error(e),
    };
    match sku {
        Some(sku) if sku.status == Status::Active => Json(SkuOwner {
            id: sku.sku_id,
            product_id: sku.product_id,
        })
        .into_response(),
        // An archived SKU is no longer sold: to a buyer it does not exist.
        _ => error(
            StatusCode::NOT_FOUND,
            UNKNOWN_SKU,
            Some(id),
            Some("no such SKU on sale"),
        ),
    }
}
