//! The first [`QueryPlanner`]: `hive-router-query-planner` (pinned), whose
//! plans are converted into our own [`QueryPlan`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use hive_router_query_planner::{
    ast::{normalization::normalize_operation, selection_item::SelectionItem, selection_set},
    graph::PlannerOverrideContext,
    planner::{
        Planner, QueryPlannerOptions,
        plan_nodes::{
            self as hive, FetchNodePathSegment, FetchRewrite, FlattenNodePath,
            FlattenNodePathSegment,
        },
    },
    state::supergraph_state::OperationKind as HiveKind,
    utils::{
        cancellation::CancellationToken,
        parsing::{safe_parse_operation, safe_parse_schema},
    },
};

use super::{
    BatchFetchNode, EntityBatch, FetchNode, OperationKind, PathStep, PlanError, PlanNode,
    QueryPlan, QueryPlanner, ResponsePath, Rewrite, RewriteStep, Selection, serialize_mutations,
};

/// How many brackets (`{`, `(` and `[` alike) may be open at once in a
/// document `safe_parse_operation` parses: graphql-tools' fixed recursion
/// limit, which the planner offers no way to raise.
const PARSER_BRACKETS: usize = 50;

/// The deepest nesting of a document the planner can parse, counted as the
/// router's parser (apollo-parser) counts it: selection sets and list and
/// object values, but not the parentheses around arguments, of which one
/// can be open around the innermost values.
pub const MAX_NESTING: usize = PARSER_BRACKETS - 1;

/// Set up once per supergraph (it builds the planner's graph), then plans
/// any number of operations.
pub struct HivePlanner {
    planner: Planner,
}

impl HivePlanner {
    pub fn new(supergraph_sdl: &str) -> Result<Self, PlanError> {
        let schema =
            safe_parse_schema(supergraph_sdl).map_err(|e| PlanError::Supergraph(e.to_string()))?;
        // The crate is not panic-free on unexpected input; a bad supergraph
        // must be an error, not a crash of the router.
        let planner = catch_unwind(AssertUnwindSafe(|| {
            Planner::new_from_supergraph(&schema, QueryPlannerOptions::default())
        }))
        .map_err(|_| PlanError::Crashed)?
        .map_err(|e| PlanError::Supergraph(e.to_string()))?;
        Ok(Self { planner })
    }

    /// Same as [`HivePlanner::new`], for an already parsed supergraph.
    pub fn new_from_supergraph(
        supergraph: &crate::supergraph::Supergraph,
    ) -> Result<Self, PlanError> {
        Self::new(&supergraph.sdl)
    }

    fn plan_unguarded(
        &self,
        document: &str,
        operation_name: Option<&str>,
    ) -> Result<QueryPlan, PlanError> {
        let parsed = safe_parse_operation(document).map_err(|e| PlanError::Parse(e.to_string()))?;
        let normalized = normalize_operation(&self.planner.supergraph, &parsed, operation_name)
            .map_err(|e| PlanError::Normalization(e.to_string()))?;
        let plan = self
            .planner
            .plan_from_normalized_operation(
                &normalized.operation,
                PlannerOverrideContext::default(),
                &CancellationToken::new(),
            )
            .map_err(|e| PlanError::Planning(e.to_string()))?;
        Ok(serialize_mutations(QueryPlan::new(
            plan.node.map(convert_node).transpose()?,
        )))
    }
}

impl QueryPlanner for HivePlanner {
    fn plan(&self, document: &str, operation_name: Option<&str>) -> Result<QueryPlan, PlanError> {
        catch_unwind(AssertUnwindSafe(|| {
            self.plan_unguarded(document, operation_name)
        }))
        .map_err(|_| PlanError::Crashed)?
    }
}

fn convert_node(node: hive::PlanNode) -> Result<PlanNode, PlanError> {
    Ok(match node {
        hive::PlanNode::Fetch(fetch) => PlanNode::Fetch(convert_fetch(fetch)?),
        hive::PlanNode::BatchFetch(batch) => PlanNode::BatchFetch(convert_batch(batch)?),
        hive::PlanNode::Sequence(seq) => PlanNode::Sequence {
            nodes: convert_nodes(seq.nodes)?,
        },
        hive::PlanNode::Parallel(par) => PlanNode::Parallel {
            nodes: convert_nodes(par.nodes)?,
        },
        hive::PlanNode::Flatten(flatten) => PlanNode::Flatten {
            path: convert_path(&flatten.path),
            node: Box::new(convert_node(*flatten.node)?),
        },
        hive::PlanNode::Condition(cond) => PlanNode::Condition {
            condition: cond.condition,
            if_clause: cond
                .if_clause
                .map(|n| convert_node(*n).map(Box::new))
                .transpose()?,
            else_clause: cond
                .else_clause
                .map(|n| convert_node(*n).map(Box::new))
                .transpose()?,
        },
        hive::PlanNode::Subscription(sub) => PlanNode::Subscription {
            primary: convert_fetch(sub.primary)?,
        },
        hive::PlanNode::Defer(_) => return Err(PlanError::Unsupported("@defer".into())),
    })
}

fn convert_nodes(nodes: Vec<hive::PlanNode>) -> Result<Vec<PlanNode>, PlanError> {
    nodes.into_iter().map(convert_node).collect()
}

fn convert_kind(kind: Option<HiveKind>) -> OperationKind {
    match kind {
        Some(HiveKind::Mutation) => OperationKind::Mutation,
        Some(HiveKind::Subscription) => OperationKind::Subscription,
        Some(HiveKind::Query) | None => OperationKind::Query,
    }
}

fn convert_fetch(fetch: hive::FetchNode) -> Result<FetchNode, PlanError> {
    Ok(FetchNode {
        service_name: fetch.service_name,
        operation_kind: convert_kind(fetch.operation_kind),
        operation: fetch.operation.document_str,
        variable_usages: fetch
            .variable_usages
            .unwrap_or_default()
            .into_iter()
            .collect(),
        requires: fetch
            .requires
            .as_ref()
            .map(convert_selection_set)
            .transpose()?,
        input_rewrites: convert_rewrites(fetch.input_rewrites),
        output_rewrites: convert_rewrites(fetch.output_rewrites),
    })
}

fn convert_batch(batch: hive::BatchFetchNode) -> Result<BatchFetchNode, PlanError> {
    let batches = batch
        .entity_batch
        .aliases
        .into_iter()
        .map(|alias| {
            Ok(EntityBatch {
                requires: convert_selection_set(&alias.requires)?,
                alias: alias.alias,
                representations_variable: alias.representations_variable_name,
                paths: alias.merge_paths.iter().map(convert_path).collect(),
                input_rewrites: convert_rewrites(alias.input_rewrites),
                output_rewrites: convert_rewrites(alias.output_rewrites),
            })
        })
        .collect::<Result<Vec<_>, PlanError>>()?;
    Ok(BatchFetchNode {
        service_name: batch.service_name,
        operation: batch.operation.document_str,
        variable_usages: batch
            .variable_usages
            .unwrap_or_default()
            .into_iter()
            .collect(),
        batches,
    })
}

fn convert_path(path: &FlattenNodePath) -> ResponsePath {
    ResponsePath(
        path.as_slice()
            .iter()
            .map(|step| match step {
                FlattenNodePathSegment::Field(name) => PathStep::Field(name.clone()),
                FlattenNodePathSegment::List => PathStep::List,
                FlattenNodePathSegment::TypeCondition(types) => {
                    PathStep::TypeCondition(types.iter().cloned().collect())
                }
            })
            .collect(),
    )
}

fn convert_selection_set(set: &selection_set::SelectionSet) -> Result<Vec<Selection>, PlanError> {
    set.items
        .iter()
        .map(|item| match item {
            SelectionItem::Field(field) => Ok(Selection::Field {
                name: field.name.clone(),
                alias: field.alias.clone(),
                selections: convert_selection_set(&field.selections)?,
            }),
            SelectionItem::InlineFragment(fragment) => Ok(Selection::InlineFragment {
                type_condition: fragment.type_condition.clone(),
                selections: convert_selection_set(&fragment.selections)?,
            }),
            SelectionItem::FragmentSpread(name) => Err(PlanError::Unsupported(format!(
                "fragment spread `{name}` in a requires selection"
            ))),
        })
        .collect()
}

fn convert_rewrites(rewrites: Option<Vec<FetchRewrite>>) -> Vec<Rewrite> {
    rewrites
        .unwrap_or_default()
        .into_iter()
        .map(|rewrite| match rewrite {
            FetchRewrite::ValueSetter(setter) => Rewrite::ValueSetter {
                path: convert_rewrite_path(setter.path),
                set_value_to: setter.set_value_to,
            },
            FetchRewrite::KeyRenamer(renamer) => Rewrite::KeyRenamer {
                path: convert_rewrite_path(renamer.path),
                rename_key_to: renamer.rename_key_to,
            },
        })
        .collect()
}

fn convert_rewrite_path(path: Vec<FetchNodePathSegment>) -> Vec<RewriteStep> {
    path.into_iter()
        .map(|step| match step {
            FetchNodePathSegment::Key(key) => RewriteStep::Key(key),
            FetchNodePathSegment::TypenameEquals(types) => {
                RewriteStep::TypenameEquals(types.into_iter().collect())
            }
        })
        .collect()
}
