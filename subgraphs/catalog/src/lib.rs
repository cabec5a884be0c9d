//! The catalog subgraph: categories, products and their SKUs, stock,
//! reviews, favorites and flash sales, plus the internal HTTP API that the
//! orders and search services call (its wire types are `contracts`'
//! `stock`, `flash_sale`, `sku` and `product`),
//! and the sweeper that releases reservations whose order was never stored.

mod cache;
mod domain;
mod error;
mod internal;
mod metrics;
mod orders_client;
mod reservation_sweeper;
mod schema;
mod seed;
mod settings;
mod startup;
mod store;

pub use schema::{CatalogSchema, sdl};
pub use seed::seed_demo;
pub use settings::{DEFAULT_RESERVATION_GRACE, Settings};
pub use startup::App;
pub use store::{MIGRATIONS, SALES_TOPICS};

/// The header that carries the internal API's shared secret.
pub use platform::internal::INTERNAL_TOKEN_HEADER;
