//! Entities that catalog owns, referenced by id only: this subgraph cannot
//! resolve them (`resolvable: false`), the router asks catalog for the rest.

use async_graphql::{ID, SimpleObject};

/// A product found by a search; catalog resolves its other fields.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(unresolvable = "id")]
pub struct Product {
    pub id: ID,
}

/// A category of a facet; catalog resolves its other fields.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(unresolvable = "id")]
pub struct Category {
    pub id: ID,
}
