//! The internal HTTP API for the orders and search services (wire types in
//! `crate::internal_api`). Not part of the public graph: every route needs
//! the shared secret in `x-internal-token`.

mod flash_sales;
mod products;
mod skus;
mod stock;

use axum::{
    Json, Router,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};

use crate::{internal_api::ApiError, store::Catalog};

#[derive(Clone)]
pub struct InternalState {
    pub catalog: Catalog,
}

/// `/internal/*`, guarded by `token`.
pub fn router(catalog: Catalog, token: String) -> Router {
    let routes = Router::new()
        .route("/internal/stock/reserve", post(stock::reserve))
        .route("/internal/stock/release", post(stock::release))
        .route("/internal/flash-sales/{id}", get(flash_sales::get))
        .route("/internal/skus/{id}", get(skus::get))
        .route("/internal/products", get(products::list))
        .with_state(InternalState { catalog });
    platform::internal::require_token(routes, &token)
}

pub fn error(
    status: StatusCode,
    code: &str,
    sku_id: Option<String>,
    message: Option<&str>,
) -> Response {
    (
        status,
        Json(ApiError {
            code: code.to_owned(),
            sku_id,
            message: message.map(str::to_owned),
        }),
    )
        .into_response()
}

/// An internal failure: logged here, masked for the caller.
pub fn internal_error(e: anyhow::Error) -> Response {
    tracing::error!(error.cause_chain = ?e, "internal API failure");
    error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", None, None)
}
