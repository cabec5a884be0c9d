//! The query plan as data: what the executor runs. It is our own type so the
//! executor never depends on a particular planner crate; a planner converts
//! its output into it.

use serde::{Deserialize, Serialize};

use super::AnswerSize;

/// A whole plan: `None` when the operation needs no subgraph fetch (for
/// example `{ __typename }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryPlan {
    pub node: Option<PlanNode>,
    #[serde(skip)]
    pub answer_size: AnswerSize,
}

impl QueryPlan {
    pub fn new(node: Option<PlanNode>) -> Self {
        Self {
            node,
            answer_size: AnswerSize::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

/// One step of a plan. The executor only matches on this enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum PlanNode {
    /// A request to one subgraph: a root operation, or (under `Flatten`) an
    /// `_entities` request for the objects found at the flatten path.
    Fetch(FetchNode),
    /// One `_entities` request carrying several entity lists (each under its
    /// own alias), found at several paths of the response.
    BatchFetch(BatchFetchNode),
    /// Children run one after the other; later ones read earlier results.
    Sequence { nodes: Vec<PlanNode> },
    /// Children run concurrently; none reads another's result.
    Parallel { nodes: Vec<PlanNode> },
    /// Runs the inner entity fetch for the objects at `path`.
    Flatten {
        path: ResponsePath,
        node: Box<PlanNode>,
    },
    /// Runs `if_clause` when the boolean variable is true, else `else_clause`.
    Condition {
        condition: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        if_clause: Option<Box<PlanNode>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        else_clause: Option<Box<PlanNode>>,
    },
    /// The root field of a subscription, streamed from one subgraph.
    Subscription { primary: FetchNode },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchNode {
    pub service_name: String,
    pub operation_kind: OperationKind,
    /// The GraphQL document sent to the subgraph.
    pub operation: String,
    /// The client variables the document uses (forwarded as-is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variable_usages: Vec<String>,
    /// For entity fetches: the selection that builds each representation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Vec<Selection>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_rewrites: Vec<Rewrite>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_rewrites: Vec<Rewrite>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchFetchNode {
    pub service_name: String,
    pub operation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variable_usages: Vec<String>,
    pub batches: Vec<EntityBatch>,
}

/// One aliased `_entities` field of a `BatchFetch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityBatch {
    /// The response key of this `_entities` field.
    pub alias: String,
    /// The variable that carries this batch's representations.
    pub representations_variable: String,
    pub paths: Vec<ResponsePath>,
    pub requires: Vec<Selection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_rewrites: Vec<Rewrite>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_rewrites: Vec<Rewrite>,
}

/// A selection read from response data (representations, `requires`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum Selection {
    Field {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        selections: Vec<Selection>,
    },
    InlineFragment {
        type_condition: String,
        selections: Vec<Selection>,
    },
}

impl Selection {
    pub fn response_key(&self) -> Option<&str> {
        match self {
            Selection::Field { name, alias, .. } => Some(alias.as_deref().unwrap_or(name)),
            Selection::InlineFragment { .. } => None,
        }
    }
}

/// A path into the response with list and type-condition steps
/// (`products.@.reviews.@|[Review]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResponsePath(pub Vec<PathStep>);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PathStep {
    Field(String),
    /// Every element of a list.
    #[serde(rename = "@")]
    List,
    /// Only objects whose `__typename` is one of these.
    TypeCondition(Vec<String>),
}

/// A change applied to representations (input) or entity results (output)
/// when the planner had to rename or retype something.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all_fields = "camelCase")]
pub enum Rewrite {
    ValueSetter {
        path: Vec<RewriteStep>,
        set_value_to: String,
    },
    KeyRenamer {
        path: Vec<RewriteStep>,
        rename_key_to: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RewriteStep {
    Key(String),
    TypenameEquals(Vec<String>),
}
