//! The orders subgraph: carts, checkout with stock reservation in the
//! catalog, payments through a built-in sandbox provider, the order state
//! machine with payment timeouts, flash sales, the outbox of order events
//! and live order status over WebSocket, plus the internal HTTP API that
//! the catalog calls (its wire types are `contracts::order_lookup`).
//!
//! Dependencies point one way (DESIGN.md, "Layout"): the entry points
//! (`schema`, `internal`, `webhook`, `events::consumers`) call `service`,
//! the use cases; `service` calls `store` (SQL, DataLoaders, the flash-sale
//! counters), `events` (publishing), `clients` (the catalog, the users
//! service, the payment provider) through the handles in `context`; all of
//! them use `domain`. Nothing imports a module above it.

mod clients;
mod context;
mod domain;
mod error;
mod events;
mod internal;
mod metrics;
mod schema;
mod service;
mod settings;
mod startup;
mod store;
mod webhook;

pub use clients::payments::{
    sandbox::Callback as PaymentCallback, signature::SIGNATURE_HEADER, signature::sign,
};
pub use schema::OrdersSchema;
pub use settings::{DEFAULT_CALLBACK_TOLERANCE, Settings};
pub use startup::App;
pub use store::MIGRATIONS;

/// The federation SDL, checked in at `schema/orders.graphql`.
pub fn sdl() -> String {
    schema::sdl()
}
