//! The search service's tests: one binary.

mod backend_suite;
mod backends;
mod catalog;
mod data;
mod events;
mod graphql;
mod helpers;
mod tantivy_dir;
