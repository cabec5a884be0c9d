//! Execution: a [`crate::plan::QueryPlan`] becomes a response, through a
//! [`SubgraphClient`], then is projected onto the client's selection.

mod client;
mod data;
mod dedupe;
mod entity_fetch;
mod executor;
mod places;
mod project;
mod representation;
mod resilience;
mod subscription;
mod upstream_ws;
mod value;

pub use client::{
    Endpoint, EventStream, HttpSubgraphClient, SubgraphClient, SubgraphError, SubgraphRequest,
    SubgraphResponse,
};
pub use data::TypeRelations;
pub use dedupe::DedupingClient;
pub use executor::{ExecutionOutput, Executor};
pub use project::{ClientOperation, project};
pub use resilience::{ResiliencePolicy, ResilientClient};
pub use value::{Object, Text, Value};

/// Merges one partial response tree into another (used to combine the
/// router's own introspection answer with subgraph data).
pub fn merge_into(target: &mut Value, source: Value) {
    data::deep_merge(target, source);
}

#[cfg(test)]
mod test_values;
#[cfg(test)]
mod tests;
