//! The test's own subgraphs (async-graphql federation), modelled on the
//! classic accounts/products/reviews/inventory demo plus a search subgraph
//! for interfaces and unions whose members live elsewhere.
//! Here: what the subgraphs share, and each subgraph's schema.

mod accounts;
mod inventory;
mod products;
mod reviews;
mod search;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use accounts::accounts;
pub use inventory::inventory_schema;
pub use products::products_schema;
pub use reviews::{Review, ReviewsQuery, review, reviews_schema};
pub use search::search_schema;

/// The `Authorization` header a subgraph received, put into request data.
pub struct Authorization(pub String);

pub type SubgraphSchema<Q> = Schema<Q, EmptyMutation, EmptySubscription>;
