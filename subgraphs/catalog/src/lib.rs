//! The catalog subgraph: categories, products and their SKUs, stock,
//! reviews, favorites and flash sales, plus the internal HTTP API that the
//! orders and search services call (its wire types are `contracts`'
//! `stock`, `flash_sale`, `sku` and `product`),
//! and the sweeper that releases reservations whose order was never stored.
//!
//! The shape every subgraph has (DESIGN.md, "Layout"); dependencies point
//! down this list, never up:
//! - `schema/`: the entry points that parse input and call `service`: the
//!   GraphQL schema, and `schema::internal`, the internal HTTP API;
//! - `service/`: the use cases: rules, transactions, the events they
//!   announce, the cache entries they invalidate, the reservation sweeper;
//!   the service error (`service::error`) and the demo data
//!   (`service::seed`);
//! - `store/` (SQL and DataLoaders; `store::cache`, the cache-aside and
//!   the filter of known ids that the hot reads go through; `store::clients`,
//!   outbound HTTP to the orders service's internal API, as every subgraph's
//!   `store::clients` holds its) and `events/` (the outbox and the order
//!   event consumer);
//! - `domain/`: values parsed once.

mod domain;
mod events;
mod metrics;
mod schema;
mod service;
mod settings;
mod startup;
mod store;

pub use events::SALES_TOPICS;
pub use schema::{CatalogSchema, sdl};
pub use service::seed::seed_demo;
pub use settings::{DEFAULT_RESERVATION_GRACE, Settings};
pub use startup::App;
pub use store::MIGRATIONS;

/// The header that carries the internal API's shared secret.
pub use platform::internal::INTERNAL_TOKEN_HEADER;
