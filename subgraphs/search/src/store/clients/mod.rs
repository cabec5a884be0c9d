//! Outbound HTTP, a source of data beside the index: the catalog's internal
//! product export, and the running search service's own reindex endpoint.
//! Wire only, no rules.

pub mod catalog;
pub mod search_service;

pub use catalog::{CatalogClient, PAGE_SIZE, ProductPage};
