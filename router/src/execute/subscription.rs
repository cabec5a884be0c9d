//! Subscriptions: the plan's `Subscription` node opens an event stream at
//! the subgraph that owns the root field, and each event runs the rest of
//! the plan (the fields other subgraphs resolve) on top of it, as a query's
//! plan runs on an empty tree.

use futures::{Stream, StreamExt, stream};
use hyper::HeaderMap;
use serde_json::{Map, Value as Json};

use super::{
    client::{SubgraphError, SubgraphRequest},
    executor::{ExecutionOutput, Executor},
    value::{Object, Text},
};
use crate::{
    plan::{FetchNode, PlanNode, QueryPlan},
    response::GraphQLError,
};

impl Executor {
    /// Subscribes as `plan` says: the stream of each event's merged (not
    /// yet projected) result, or why it could not start. An event the
    /// subgraph reports as failed is an error of its own; the stream ends
    /// when the subgraph's does.
    pub async fn subscribe<'a>(
        &'a self,
        plan: &'a QueryPlan,
        variables: &'a Map<String, Json>,
        headers: &'a HeaderMap,
        init_payload: Json,
    ) -> Result<impl Stream<Item = Result<ExecutionOutput, GraphQLError>> + 'a, GraphQLError> {
        let Some((primary, rest)) = split_plan(plan.node.as_ref()) else {
            return Err(GraphQLError::new("The subscription could not be planned")
                .with_code("QUERY_PLANNING_FAILED"));
        };
        let used: Object = primary
            .variable_usages
            .iter()
            .filter_map(|name| Some((Text::new(name), variables.get(name)?.into())))
            .collect();
        let request =
            SubgraphRequest::new(primary.operation.as_str(), &used, headers.clone(), false);
        let events = self
            .client
            .subscribe(&primary.service_name, request, init_payload)
            .await
            .map_err(|e| {
                tracing::warn!(service = %primary.service_name, error = %e, "subscribing to the subgraph failed");
                failed(primary, &e)
            })?;
        Ok(stream::unfold(
            (events, rest),
            move |(mut events, rest)| async move {
                let item = match events.next().await? {
                    Ok(event) => {
                        let output = self
                            .execute_from(
                                rest.as_ref(),
                                event.data.unwrap_or_default(),
                                variables,
                                headers,
                            )
                            .await;
                        // The subgraph's errors first, then the rest of the plan's.
                        let mut errors = event.errors;
                        errors.extend(output.errors);
                        Ok(ExecutionOutput { errors, ..output })
                    }
                    Err(e) => Err(failed(primary, &e)),
                };
                Some((item, (events, rest)))
            },
        ))
    }
}

fn failed(primary: &FetchNode, e: &SubgraphError) -> GraphQLError {
    GraphQLError::new(format!("Subgraph '{}' failed: {e}", primary.service_name))
        .with_code(e.code())
}

/// The subscription's root fetch, and what the rest of each event needs.
fn split_plan(node: Option<&PlanNode>) -> Option<(&FetchNode, Option<PlanNode>)> {
    match node? {
        PlanNode::Subscription { primary } => Some((primary, None)),
        PlanNode::Sequence { nodes } => match nodes.split_first()? {
            (PlanNode::Subscription { primary }, rest) => Some((
                primary,
                Some(PlanNode::Sequence {
                    nodes: rest.to_vec(),
                }),
            )),
            _ => None,
        },
        _ => None,
    }
}
