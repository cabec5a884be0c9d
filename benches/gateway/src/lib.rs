//! Four subgraphs in the shape of the federation benchmark that gateway
//! vendors publish against each other (graphql-hive/graphql-gateways-benchmark):
//! accounts (`User`), inventory (`Product.inStock`, `Product.shippingEstimate`
//! `@requires` price and weight), products (`Product`, `topProducts`) and
//! reviews (`Review`, `User.reviews`, `Product.reviews`, `Review.author`
//! `@provides` username), with data of our own.
//!
//! The data is in memory and read-only, so that answering costs the
//! subgraphs little and the router in front of them is what a load test
//! measures (benches/run.sh, case `gateway`). For the same reason the entity
//! resolvers look entities up directly, without the DataLoaders the
//! platform's subgraphs batch their database reads with: there is nothing
//! to batch.

mod accounts;
mod inventory;
mod products;
mod reviews;
mod subgraph;

pub use subgraph::{Answers, BoundSubgraph, Subgraph};

/// The four subgraphs in name order, the order of their ports.
pub fn subgraphs(answers: Answers) -> Vec<Subgraph> {
    vec![
        Subgraph::new("accounts", accounts::Query, answers),
        Subgraph::new("inventory", inventory::Query, answers),
        Subgraph::new("products", products::Query, answers),
        Subgraph::new("reviews", reviews::Query, answers),
    ]
}
