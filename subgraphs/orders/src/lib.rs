//! The orders subgraph: carts, checkout with stock reservation in the
//! catalog, payments through a built-in sandbox provider, the order state
//! machine with payment timeouts, flash sales, the outbox of order events
//! and live order status over WebSocket, plus the internal HTTP API that
//! the catalog calls (its wire types are `contracts::order_lookup`).
//!
//! Dependencies point one way (DESIGN.md, "Layout"): the entry points in
//! `schema` (GraphQL, and `schema::internal`: the internal HTTP API and the
//! payment provider's callback) call `service`, the use cases, as the event
//! consumers do (`events::consumers` subscribes what
//! `service::consumers` handles); `service` calls `store` (SQL,
//! DataLoaders, the flash-sale counters, and `store::clients`: the catalog,
//! the users service, the payment provider) and `events` (publishing)
//! through the handles in `service::context`; all of them use `domain`.
//! Nothing imports a module above it.

mod domain;
mod events;
mod metrics;
mod schema;
mod service;
mod settings;
mod startup;
mod store;

pub use schema::OrdersSchema;
pub use settings::{DEFAULT_CALLBACK_TOLERANCE, Settings};
pub use startup::App;
pub use store::MIGRATIONS;
pub use store::clients::payments::{
    sandbox::Callback as PaymentCallback, signature::SIGNATURE_HEADER, signature::sign,
};

/// The federation SDL, checked in at `schema/orders.graphql`.
pub fn sdl() -> String {
    schema::sdl()
}
