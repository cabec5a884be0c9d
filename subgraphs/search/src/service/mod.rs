//! What the search service does, independent of GraphQL and HTTP:
//! searching and suggesting, applying the catalog's product changes, and
//! rebuilding the index from the catalog.

pub mod indexing;
pub mod reindex;
pub mod searching;

pub use searching::ProductSearch;
