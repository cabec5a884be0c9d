//! The HTTP entry points beside GraphQL: the internal API for the catalog
//! (wire types in `contracts::order_lookup`), whose every route needs the
//! shared secret in `x-internal-token`, as the catalog's own internal API
//! does; and the payment provider's signed callback ([`webhook`]). Neither
//! is part of the public graph.

mod lookup;
pub mod webhook;

use axum::{Router, routing::post};

use crate::service::context::OrdersContext;

/// `/internal/*`, guarded by `token`.
pub fn router(ctx: OrdersContext, token: &str) -> Router {
    let routes = Router::new()
        .route(contracts::order_lookup::PATH, post(lookup::lookup))
        .with_state(ctx);
    platform::internal::require_token(routes, token)
}
