//! The search subgraph: full-text product search (Chinese and English) with
//! filters, facets, sorting and suggestions, on tantivy or Elasticsearch.

pub mod analysis;
pub mod domain;
pub mod index;
