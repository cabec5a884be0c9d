//! The internal HTTP API for the orders and search services, the catalog's
//! entry point beside GraphQL: like the resolvers, its handlers parse input
//! and call the `Catalog` service (wire types and paths in `contracts`:
//! `stock`, `flash_sale`, `sku`, `product`). Not part of the public graph:
//! every route needs the shared secret in `x-internal-token`.

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
use contracts::{
    error::{ApiError, INTERNAL},
    flash_sale, product, sku,
};

use crate::service::Catalog;

#[derive(Clone)]
pub struct InternalState {
    pub catalog: Catalog,
}

/// `/internal/*`, guarded by `token`.
pub fn router(catalog: Catalog, token: String) -> Router {
    let routes = Router::new()
        .route(contracts::stock::RESERVE_PATH, post(stock::reserve))
        .route(contracts::stock::RELEASE_PATH, post(stock::release))
        .route(flash_sale::ROUTE, get(flash_sales::get))
        .route(sku::ROUTE, get(skus::get))
        .route(product::PATH, get(products::list))
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
    error(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL, None, None)
}
