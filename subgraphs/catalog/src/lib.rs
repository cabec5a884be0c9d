//! The catalog subgraph: categories, products and their SKUs, stock,
//! reviews, favorites and flash sales, plus the internal HTTP API that the
//! orders and search services call (its wire types are `contracts`'
//! `stock`, `flash_sale`, `sku` and `product`),
//! and the sweeper that releases reservations whose order was never stored.
//!
//! The shape every subgraph has (DESIGN.md, "Layout"); dependencies point
//! down this list, never up:
//! - `schema/` (GraphQL) and `internal/` (the internal HTTP API): entry
//!   points that parse input and call `service`;
//! - `service/`: the use cases: rules, transactions, the events they
//!   announce, the cache entries they invalidate, the reservation sweeper;
//! - `store/` (SQL and DataLoaders), `events/` (the outbox and the order
//!   event consumer), `cache/` (cache-aside and the filter of known ids,
//!   which the store's hot reads go through) and `clients/` (outbound
//!   HTTP: the orders service's internal API, as orders' and search's
//!   `clients/` hold theirs);
//! - `domain/`: values parsed once.

mod cache;
mod clients;
mod domain;
mod error;
mod events;
mod internal;
mod metrics;
mod schema;
mod seed;
mod service;
mod settings;
mod startup;
mod store;

pub use events::SALES_TOPICS;
pub use schema::{CatalogSchema, sdl};
pub use seed::seed_demo;
pub use settings::{DEFAULT_RESERVATION_GRACE, Settings};
pub use startup::App;
pub use store::MIGRATIONS;

/// The header that carries the internal API's shared secret.
pub use platform::internal::INTERNAL_TOKEN_HEADER;
