//! Query planning: a client operation becomes a [`QueryPlan`] of subgraph
//! fetches. Pure and synchronous; the planner implementation sits behind the
//! [`QueryPlanner`] trait so it can be replaced without touching execution.

mod answer_size;
mod cache;
mod display;
mod hive;
mod node;
mod serial_mutations;

use std::sync::Arc;

pub use answer_size::AnswerSize;
pub use cache::CachingPlanner;
pub use display::selections_inline;
pub use hive::{HivePlanner, MAX_NESTING};
pub use node::{
    BatchFetchNode, EntityBatch, FetchNode, OperationKind, PathStep, PlanNode, QueryPlan,
    ResponsePath, Rewrite, RewriteStep, Selection,
};
pub(crate) use serial_mutations::serialize_mutations;

/// Turns one operation of a (validated) document into a plan.
pub trait QueryPlanner: Send + Sync {
    fn plan(&self, document: &str, operation_name: Option<&str>) -> Result<QueryPlan, PlanError>;
}

impl<T: QueryPlanner + ?Sized> QueryPlanner for Arc<T> {
    fn plan(&self, document: &str, operation_name: Option<&str>) -> Result<QueryPlan, PlanError> {
        (**self).plan(document, operation_name)
    }
}

/// Why planning failed, by stage.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlanError {
    #[error("the supergraph could not be loaded by the planner: {0}")]
    Supergraph(String),
    #[error("the operation could not be parsed: {0}")]
    Parse(String),
    #[error("the operation could not be normalized: {0}")]
    Normalization(String),
    #[error("no plan was found for the operation: {0}")]
    Planning(String),
    #[error("the plan uses a feature the executor does not support: {0}")]
    Unsupported(String),
    #[error("the planner failed unexpectedly")]
    Crashed,
}
