//! The internal HTTP API for the orders and search services (wire types in
//! `crate::internal_api`). Not part of the public graph: every route needs
//! the shared secret in `x-internal-token`.

mod flash_sales;
mod products;
mod stock;

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};

use crate::{INTERNAL_TOKEN_HEADER, internal_api::ApiError, store::Catalog};

#[derive(Clone)]
pub struct InternalState {
    pub catalog: Catalog,
}

/// `/internal/*`, guarded by `token`.
pub fn router(catalog: Catalog, token: String) -> Router {
    let token: Arc<str> = token.into();
    Router::new()
        .route("/internal/stock/reserve", post(stock::reserve))
        .route("/internal/stock/release", post(stock::release))
        .route("/internal/flash-sales/{id}", get(flash_sales::get))
        .route("/internal/products", get(products::list))
        .with_state(InternalState { catalog })
        .layer(middleware::from_fn_with_state(token, require_token))
}

async fn require_token(State(token): State<Arc<str>>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(INTERNAL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if constant_time_eq(presented.as_bytes(), token.as_bytes()) {
        next.run(request).await
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            None,
            Some("a valid x-internal-token is required"),
        )
    }
}

/// Compares without an early exit, so timing does not reveal the secret.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn token_comparison_needs_every_byte() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secre"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
