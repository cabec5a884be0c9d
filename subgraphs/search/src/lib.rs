//! The search subgraph: full-text product search (Chinese and English) with
//! filters, facets, sorting and suggestions, on tantivy (embedded) or
//! Elasticsearch. The index follows the catalog through `product.changed`
//! events and can be rebuilt from the catalog's internal API in full.
//!
//! The shape every subgraph has (DESIGN.md, "Layout"), dependencies
//! pointing down: `schema` (GraphQL, and `schema::internal`, the reindex
//! endpoint) calls `service`, which uses `store` (the index backends, and
//! `store::clients`: the catalog's internal API) and `events` (the queue it
//! consumes); all of them use `domain`.

pub mod domain;
pub mod events;
mod metrics;
mod schema;
pub mod service;
mod settings;
mod startup;
pub mod store;

pub use schema::{SearchSchema, build as build_schema, sdl};
pub use service::reindex::{rebuild_from, reindex};
pub use settings::Settings;
pub use startup::{App, MIGRATIONS};
