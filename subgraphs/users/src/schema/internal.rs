//! The users service's internal HTTP API, for the orders service (it is not
//! part of the public graph): an entry point beside GraphQL, calling the
//! service like the resolvers do. Every request carries the shared
//! `INTERNAL_TOKEN` in `x-internal-token`; without it: 401
//! `{"code":"UNAUTHORIZED"}`.
//!
//! - `GET /internal/users/{userId}/addresses/{addressId}` → 200
//!   [`contracts::address::Address`]; 404 `{"code":"UNKNOWN_ADDRESS"}` when the address
//!   does not exist or belongs to another user (the two look alike, so
//!   address ids cannot be probed across users).

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use contracts::address::Address;
use platform::internal::require_token;
use serde_json::json;

use crate::{
    service::{Services, address_book},
    store::addresses::AddressRow,
};

/// An address-book entry as another service sees it.
fn internal_address(row: AddressRow) -> Address {
    Address {
        id: row.id,
        user_id: row.user_id,
        recipient: row.fields.recipient,
        phone: row.fields.phone,
        line1: row.fields.line1,
        line2: row.fields.line2,
        city: row.fields.city,
        region: row.fields.region,
        postal_code: row.fields.postal_code,
        country: row.fields.country,
        is_default: row.is_default,
    }
}

/// `/internal/*`, guarded by `token`.
pub fn router(services: Services, token: &str) -> Router {
    let routes = Router::new()
        .route(
            "/internal/users/{user_id}/addresses/{address_id}",
            get(address),
        )
        .with_state(services);
    require_token(routes, token)
}

async fn address(
    State(services): State<Services>,
    Path((user_id, address_id)): Path<(String, String)>,
) -> Response {
    match address_book::find(&services, &user_id, &address_id).await {
        Ok(Some(row)) => Json(internal_address(row)).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(json!({ "code": "UNKNOWN_ADDRESS" })),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, "internal address lookup failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "code": "INTERNAL" })),
            )
                .into_response()
        }
    }
}
