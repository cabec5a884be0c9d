//! The internal HTTP API for the catalog (wire types in
//! `contracts::order_lookup`). Not part of the public graph: every route needs
//! the shared secret in `x-internal-token`, as the catalog's own internal
//! API does.

mod lookup;

use axum::{Router, routing::post};

use crate::context::OrdersContext;

/// `/internal/*`, guarded by `token`.
pub fn router(ctx: OrdersContext, token: &str) -> Router {
    let routes = Router::new()
        .route(contracts::order_lookup::PATH, post(lookup::lookup))
        .with_state(ctx);
    platform::internal::require_token(routes, token)
}
