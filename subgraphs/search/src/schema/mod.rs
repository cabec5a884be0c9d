//! The search subgraph's entry points: the GraphQL schema (Federation v2),
//! and beside it [`internal`], the HTTP reindex endpoint. The GraphQL
//! resolvers know nothing of HTTP: they parse their input and call the
//! [`ProductSearch`] service from the schema data.

mod connection;
mod entities;
mod facets;
mod inputs;
pub mod internal;
mod query;

use async_graphql::{EmptyMutation, EmptySubscription, SDLExportOptions, Schema};

use platform::limits;

use crate::service::ProductSearch;

pub use query::Query;

pub type SearchSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Bounds on what one operation may ask for, against abusive queries; the
/// depth bounds are the ones the router enforces too (`platform::limits`).
const MAX_COMPLEXITY: usize = 2_000;

fn builder() -> async_graphql::SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .enable_federation()
        .limit_depth(limits::MAX_QUERY_DEPTH)
        .limit_recursive_depth(limits::SUBGRAPH_SELECTION_NESTING)
        .limit_complexity(MAX_COMPLEXITY)
}

/// The schema over `search`.
pub fn build(search: ProductSearch) -> SearchSchema {
    builder().data(search).finish()
}

/// The federation SDL this subgraph serves (`_service { sdl }`), as checked
/// in at `schema/search.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}
