//! Runs a [`QueryPlan`]: its nodes in sequence or in parallel, fetches
//! going to subgraphs through a [`SubgraphClient`], their results merged
//! into one response tree (entity fetches in entity_fetch.rs).

use std::sync::{Arc, Mutex};

use futures::future::{BoxFuture, FutureExt, join_all};
use hyper::HeaderMap;
use serde_json::{Map, Value as Json};

use super::{
    client::{SubgraphClient, SubgraphError, SubgraphRequest},
    data::{TypeRelations, apply_rewrites, deep_merge},
    entity_fetch::EntityList,
    value::{Object, Text, Value},
};
use crate::{
    plan::{FetchNode, OperationKind, PlanNode, QueryPlan},
    response::{GraphQLError, PathSegment},
};

/// The merged (not yet projected) result of running a plan.
#[derive(Debug, Default)]
pub struct ExecutionOutput {
    pub data: Value,
    pub errors: Vec<GraphQLError>,
}

pub struct Executor {
    pub(super) client: Arc<dyn SubgraphClient>,
    pub(super) types: Arc<dyn TypeRelations + Send + Sync>,
}

impl Executor {
    pub fn new(
        client: Arc<dyn SubgraphClient>,
        types: Arc<dyn TypeRelations + Send + Sync>,
    ) -> Self {
        Self { client, types }
    }

    /// Runs `plan` with the client's (coerced) variables; `headers` are
    /// forwarded to every subgraph.
    pub async fn execute(
        &self,
        plan: &QueryPlan,
        variables: &Map<String, Json>,
        headers: &HeaderMap,
    ) -> ExecutionOutput {
        self.execute_from(
            plan.node.as_ref(),
            Value::Object(Object::new()),
            variables,
            headers,
        )
        .await
    }

    /// Runs `node` on top of data already fetched (a subscription event's
    /// root field, for example).
    pub async fn execute_from(
        &self,
        node: Option<&PlanNode>,
        data: Value,
        variables: &Map<String, Json>,
        headers: &HeaderMap,
    ) -> ExecutionOutput {
        let run = Run {
            client: self.client.as_ref(),
            types: self.types.as_ref(),
            variables,
            headers,
            data: Mutex::new(data),
            errors: Mutex::new(Vec::new()),
            unresolved: Mutex::new(Vec::new()),
        };
        if let Some(node) = node {
            run.node(node).await;
        }
        ExecutionOutput {
            data: run.data.into_inner().unwrap_or_else(|e| e.into_inner()),
            errors: run.errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

pub(super) struct Run<'a> {
    pub(super) client: &'a dyn SubgraphClient,
    pub(super) types: &'a (dyn TypeRelations + Send + Sync),
    pub(super) variables: &'a Map<String, Json>,
    pub(super) headers: &'a HeaderMap,
    pub(super) data: Mutex<Value>,
    pub(super) errors: Mutex<Vec<GraphQLError>>,
    /// Objects a subgraph answered `null` for (an entity it does not
    /// have): what later fetches would need of them is missing, rightly.
    pub(super) unresolved: Mutex<Vec<Vec<PathSegment>>>,
}

// Parallel branches lock the tree only to read representations or merge a
// result, never across a subgraph call, so a std mutex is the right tool.
pub(super) use platform::sync::lock;

impl<'a> Run<'a> {
    fn node<'n>(&'n self, node: &'n PlanNode) -> BoxFuture<'n, ()> {
        async move {
            match node {
                PlanNode::Fetch(fetch) => self.root_fetch(fetch).await,
                PlanNode::Flatten { path, node } => match node.as_ref() {
                    PlanNode::Fetch(fetch) => {
                        let list = EntityList {
                            alias: "_entities",
                            variable: "representations",
                            paths: vec![path],
                            requires: fetch.requires.as_deref().unwrap_or_default(),
                            input_rewrites: &fetch.input_rewrites,
                            output_rewrites: &fetch.output_rewrites,
                        };
                        self.entity_fetch(
                            &fetch.service_name,
                            &fetch.operation,
                            &fetch.variable_usages,
                            vec![list],
                        )
                        .await
                    }
                    other => self.node(other).await,
                },
                PlanNode::BatchFetch(batch) => {
                    let lists = batch
                        .batches
                        .iter()
                        .map(|b| EntityList {
                            alias: &b.alias,
                            variable: &b.representations_variable,
                            paths: b.paths.iter().collect(),
                            requires: &b.requires,
                            input_rewrites: &b.input_rewrites,
                            output_rewrites: &b.output_rewrites,
                        })
                        .collect();
                    self.entity_fetch(
                        &batch.service_name,
                        &batch.operation,
                        &batch.variable_usages,
                        lists,
                    )
                    .await
                }
                PlanNode::Sequence { nodes } => {
                    for child in nodes {
                        self.node(child).await;
                    }
                }
                PlanNode::Parallel { nodes } => {
                    join_all(nodes.iter().map(|child| self.node(child))).await;
                }
                PlanNode::Condition {
                    condition,
                    if_clause,
                    else_clause,
                } => {
                    let on = self
                        .variables
                        .get(condition)
                        .and_then(Json::as_bool)
                        .unwrap_or(false);
                    let branch = if on { if_clause } else { else_clause };
                    if let Some(branch) = branch {
                        self.node(branch).await;
                    }
                }
                PlanNode::Subscription { .. } => {
                    self.push_error(
                        GraphQLError::new("subscriptions are served over WebSocket")
                            .with_code("SUBSCRIPTION_NOT_SUPPORTED"),
                    );
                }
            }
        }
        .boxed()
    }

    pub(super) fn used_variables(&self, usages: &[String]) -> Object {
        usages
            .iter()
            .filter_map(|name| Some((Text::new(name), Value::from(self.variables.get(name)?))))
            .collect()
    }

    fn push_error(&self, error: GraphQLError) {
        lock(&self.errors).push(error);
    }

    async fn root_fetch(&self, fetch: &FetchNode) {
        let request = SubgraphRequest::new(
            fetch.operation.as_str(),
            &self.used_variables(&fetch.variable_usages),
            self.headers.clone(),
            fetch.operation_kind == OperationKind::Query,
        );
        match self.client.execute(&fetch.service_name, request).await {
            Ok(response) => {
                match response.data {
                    Some(mut data @ Value::Object(_)) => {
                        apply_rewrites(&mut data, &fetch.output_rewrites, self.types);
                        deep_merge(&mut lock(&self.data), data);
                    }
                    None | Some(Value::Null) => {}
                    Some(_) => {
                        let e = SubgraphError::InvalidResponse("`data` is not an object".into());
                        self.push_error(fetch_failed(&fetch.service_name, &e, None));
                    }
                }
                lock(&self.errors).extend(
                    response
                        .errors
                        .into_iter()
                        .map(|e| tag(e, &fetch.service_name)),
                );
            }
            Err(e) => self.push_error(fetch_failed(&fetch.service_name, &e, None)),
        }
    }
}

/// Marks an error with the subgraph it came from. Its `locations` point
/// into the subgraph's document, not the client's, so they go.
pub(super) fn tag(mut error: GraphQLError, service: &str) -> GraphQLError {
    error.locations.clear();
    error
        .extensions
        .entry("serviceName")
        .or_insert_with(|| Json::String(service.to_owned()));
    error
}

pub(super) fn fetch_failed(
    service: &str,
    error: &SubgraphError,
    path: Option<Vec<PathSegment>>,
) -> GraphQLError {
    tracing::warn!(service, error = %error, "subgraph fetch failed");
    let mut graphql = GraphQLError::new(format!("Subgraph '{service}' failed: {error}"))
        .with_code(error.code())
        .with_extension("serviceName", Json::String(service.to_owned()));
    graphql.path = path;
    graphql
}
