//! The search subgraph: full-text product search (Chinese and English) with
//! filters, facets, sorting and suggestions, on tantivy (embedded) or
//! Elasticsearch. The index follows the catalog through `product.changed`
//! events and can be rebuilt from the catalog's internal API in full.

pub mod catalog_client;
pub mod domain;
pub mod events;
mod internal;
mod metrics;
mod reindex;
mod schema;
mod settings;
mod startup;
pub mod store;

pub use reindex::{rebuild_from, reindex};
pub use schema::{SearchSchema, build as build_schema, sdl};
pub use settings::Settings;
pub use startup::{App, MIGRATIONS};
