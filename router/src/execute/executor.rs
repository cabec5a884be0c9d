//! Runs a [`QueryPlan`]: fetches go to subgraphs through a
//! [`SubgraphClient`], results are merged into one response tree, and
//! subgraph errors are rebased onto client paths.

use std::sync::{Arc, Mutex, MutexGuard};

use futures::future::{BoxFuture, FutureExt, join_all};
use hyper::HeaderMap;
use serde_json::{Map, Value as Json};

use super::{
    client::{SubgraphClient, SubgraphError, SubgraphRequest},
    data::{
        At, TypeRelations, apply_rewrites, collect_objects, deep_merge, for_each_object_mut, owned,
    },
    representation::{self, Distinct, MissingField},
    value::{Object, Text, Value},
};
use crate::{
    plan::{FetchNode, OperationKind, PlanNode, QueryPlan, ResponsePath, Rewrite, Selection},
    response::{GraphQLError, PathSegment},
};

/// The merged (not yet projected) result of running a plan.
#[derive(Debug, Default)]
pub struct ExecutionOutput {
    pub data: Value,
    pub errors: Vec<GraphQLError>,
}

pub struct Executor {
    pub(crate) client: Arc<dyn SubgraphClient>,
    types: Arc<dyn TypeRelations + Send + Sync>,
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

/// One `_entities` list of an entity fetch (a `Flatten(Fetch)` has one, a
/// `BatchFetch` one per alias).
struct EntityList<'p> {
    alias: &'p str,
    variable: &'p str,
    paths: Vec<&'p ResponsePath>,
    requires: &'p [Selection],
    input_rewrites: &'p [Rewrite],
    output_rewrites: &'p [Rewrite],
}

/// The representations of one entity list, de-duplicated, and the objects
/// they stand for: each object's path and the index of its representation,
/// in the order the objects were found (the tree's order, so that merging
/// walks each shared prefix of their paths once).
#[derive(Default)]
struct Prepared<'p> {
    /// Moved into the request's variables once it is built.
    representations: Vec<Value>,
    /// How many representations there are (they move out, the count stays).
    distinct: usize,
    objects: Vec<(Vec<At<'p>>, usize)>,
    /// Representations the subgraph answered with `null`.
    nulls: Vec<usize>,
}

impl<'p> Prepared<'p> {
    /// Adds a representation not seen before.
    fn push(&mut self, rep: Value) {
        self.representations.push(rep);
        self.distinct += 1;
    }

    /// The paths of the objects representation `slot` stands for.
    fn targets(&self, slot: usize) -> impl Iterator<Item = &[At<'p>]> {
        self.objects
            .iter()
            .filter(move |(_, s)| *s == slot)
            .map(|(path, _)| &path[..])
    }
}

struct Run<'a> {
    client: &'a dyn SubgraphClient,
    types: &'a (dyn TypeRelations + Send + Sync),
    variables: &'a Map<String, Json>,
    headers: &'a HeaderMap,
    data: Mutex<Value>,
    errors: Mutex<Vec<GraphQLError>>,
    /// Objects a subgraph answered `null` for (an entity it does not
    /// have): what later fetches would need of them is missing, rightly.
    unresolved: Mutex<Vec<Vec<PathSegment>>>,
}

// Parallel branches lock the tree only to read representations or merge a
// result, never across a subgraph call, so a std mutex is the right tool.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

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

    fn used_variables(&self, usages: &[String]) -> Object {
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

    /// The entity to merge into `object`. An `@interfaceObject` subgraph
    /// names the interface as `__typename`: that must not replace the
    /// concrete type another subgraph gave. An entity of another concrete
    /// type than the object is refused: merging it would place its data
    /// under the wrong type.
    fn entity_for(&self, object: &Value, mut entity: Value) -> Result<Value, SubgraphError> {
        let (Some(expected), Some(given)) = (
            object.as_object().and_then(Object::typename),
            entity.as_object().and_then(Object::typename),
        ) else {
            return Ok(entity);
        };
        if given == expected || self.types.is_abstract(expected) {
            return Ok(entity);
        }
        if self.types.is_abstract(given) {
            if let Some(fields) = entity.as_object_mut() {
                fields.remove("__typename");
            }
            return Ok(entity);
        }
        Err(SubgraphError::InvalidResponse(format!(
            "an entity of type `{given}` was returned for a `{expected}`"
        )))
    }

    fn prepare<'p>(&self, service: &str, list: &EntityList<'p>) -> Prepared<'p> {
        let data = lock(&self.data);
        let mut prepared = Prepared::default();
        // Rewritten representations are compared as built: a rewrite may
        // make two different objects' representations equal (two types
        // named as their `@interfaceObject` interface).
        let mut rewritten = Distinct::default();
        let mut distinct = Distinct::default();
        let mut pieces = Vec::new();
        for path in &list.paths {
            for (object_path, object) in collect_objects(&data, &path.0, self.types) {
                if let Err(MissingField(field)) =
                    representation::read(object, list.requires, self.types, &mut pieces)
                {
                    self.unfetchable(service, &field, owned(&object_path));
                    continue;
                }
                if pieces.is_empty() {
                    continue;
                }
                let slot = if list.input_rewrites.is_empty() {
                    let (slot, new) = distinct.slot_of(&pieces[..]);
                    if new {
                        prepared.push(representation::build(&pieces));
                    }
                    slot
                } else {
                    let mut rep = representation::build(&pieces);
                    apply_rewrites(&mut rep, list.input_rewrites, self.types);
                    let (slot, new) = rewritten.slot_of(&rep);
                    if new {
                        prepared.push(rep);
                    }
                    slot
                };
                prepared.objects.push((object_path, slot));
            }
        }
        prepared
    }

    /// An object lacks a field the next fetch needs: say so, unless an
    /// earlier error (the fetch that should have brought it) already does,
    /// or that fetch found no such entity.
    fn unfetchable(&self, service: &str, field: &str, path: Vec<PathSegment>) {
        let related = |p: &Vec<PathSegment>| p.starts_with(&path) || path.starts_with(p);
        if lock(&self.unresolved).iter().any(related) {
            return;
        }
        let mut errors = lock(&self.errors);
        let explained = errors.iter().any(|e| e.path.as_ref().is_none_or(related));
        if !explained {
            let e = SubgraphError::InvalidResponse(format!(
                "`{field}`, which this fetch requires, is missing from the object"
            ));
            errors.push(fetch_failed(service, &e, Some(path)));
        }
    }

    /// Merges each entity into every object its representation stands for.
    /// Each object but the last gets a copy; the last (usually the only
    /// one) takes the entity.
    fn merge_entities(
        &self,
        tree: &mut Value,
        service: &str,
        list: &EntityList<'_>,
        prepared: &mut Prepared<'_>,
        entities: Vec<Value>,
    ) {
        let mut entities: Vec<Option<Value>> = entities.into_iter().map(Some).collect();
        for (slot, entity) in entities.iter_mut().enumerate() {
            match entity {
                Some(Value::Null) => {
                    *entity = None;
                    prepared.nulls.push(slot);
                    lock(&self.unresolved).extend(prepared.targets(slot).map(owned));
                }
                Some(Value::Object(_)) => {
                    if let Some(entity) = entity {
                        apply_rewrites(entity, list.output_rewrites, self.types);
                    }
                }
                _ => {
                    // Merging a scalar would replace the object.
                    *entity = None;
                    prepared.nulls.push(slot);
                    let e = SubgraphError::InvalidResponse("an entity is not an object".into());
                    let mut errors = lock(&self.errors);
                    for target in prepared.targets(slot) {
                        errors.push(fetch_failed(service, &e, Some(owned(target))));
                    }
                }
            }
        }
        let mut uses = vec![0usize; entities.len()];
        for (_, slot) in &prepared.objects {
            uses[*slot] += 1;
        }
        for_each_object_mut(tree, &prepared.objects, |object, target, slot| {
            uses[slot] -= 1;
            let entity = if uses[slot] == 0 {
                entities[slot].take()
            } else {
                entities[slot].clone()
            };
            let Some(entity) = entity else {
                return;
            };
            match self.entity_for(object, entity) {
                Ok(entity) => deep_merge(object, entity),
                Err(e) => {
                    lock(&self.errors).push(fetch_failed(service, &e, Some(owned(target))));
                }
            }
        });
    }

    async fn entity_fetch(
        &self,
        service: &str,
        operation: &str,
        usages: &[String],
        lists: Vec<EntityList<'_>>,
    ) {
        let mut prepared: Vec<Prepared<'_>> = lists
            .iter()
            .map(|list| self.prepare(service, list))
            .collect();
        if prepared.iter().all(|p| p.objects.is_empty()) {
            return;
        }
        let mut variables = self.used_variables(usages);
        for (list, prepared) in lists.iter().zip(&mut prepared) {
            variables.insert(
                Text::new(list.variable),
                Value::Array(std::mem::take(&mut prepared.representations)),
            );
        }
        // `_entities` is always a query, even inside a mutation's plan.
        let request = SubgraphRequest::new(operation, &variables, self.headers.clone(), true);
        let response = match self.client.execute(service, request).await {
            Ok(response) => response,
            Err(e) => {
                let mut errors = lock(&self.errors);
                for (target, _) in prepared.iter().flat_map(|p| &p.objects) {
                    errors.push(fetch_failed(service, &e, Some(owned(target))));
                }
                return;
            }
        };
        let mut data = response.data.unwrap_or(Value::Null);
        {
            let mut tree = lock(&self.data);
            for (list, prepared) in lists.iter().zip(prepared.iter_mut()) {
                if prepared.objects.is_empty() {
                    continue;
                }
                let entities = data
                    .as_object_mut()
                    .and_then(|o| o.remove(list.alias))
                    .unwrap_or(Value::Null);
                match entities {
                    Value::Array(entities) if entities.len() == prepared.distinct => {
                        self.merge_entities(&mut tree, service, list, prepared, entities);
                    }
                    // `null` with errors: the errors below say why.
                    Value::Null if !response.errors.is_empty() => {}
                    _ => {
                        let e = SubgraphError::InvalidResponse(format!(
                            "`{}` does not hold one entity per representation",
                            list.alias
                        ));
                        let mut errors = lock(&self.errors);
                        for (target, _) in &prepared.objects {
                            errors.push(fetch_failed(service, &e, Some(owned(target))));
                        }
                    }
                }
            }
        }
        let mut errors = lock(&self.errors);
        for error in response.errors {
            errors.extend(rebase(error, service, &lists, &prepared));
        }
    }
}

/// Rebases an `_entities` error path (`[_entities, 3, reviews, 0]`) onto
/// the client path of every object representation 3 stands for. Some
/// subgraphs (async-graphql 7) leave the index out (`[_entities, name]`):
/// such an error is attached to the entities that came back `null`.
fn rebase(
    error: GraphQLError,
    service: &str,
    lists: &[EntityList<'_>],
    prepared: &[Prepared<'_>],
) -> Vec<GraphQLError> {
    let error = tag(error, service);
    let rebased = (|| {
        let path = error.path.as_ref()?;
        let PathSegment::Key(alias) = path.first()? else {
            return None;
        };
        let list = lists.iter().position(|l| l.alias == alias)?;
        let prepared = prepared.get(list)?;
        let (entities, rest): (Vec<usize>, &[PathSegment]) = match path.get(1) {
            Some(PathSegment::Index(i)) => (vec![*i], &path[2..]),
            _ => (prepared.nulls.clone(), &path[1..]),
        };
        let rebased: Vec<GraphQLError> = entities
            .iter()
            .flat_map(|i| prepared.targets(*i))
            .map(|target| {
                let mut full = owned(target);
                full.extend(rest.iter().cloned());
                error.clone().with_path(full)
            })
            .collect();
        (!rebased.is_empty()).then_some(rebased)
    })();
    rebased.unwrap_or_else(|| {
        // A path we cannot map would point into the subgraph's response,
        // not the client's: drop it rather than mislead.
        let mut error = error;
        error.path = None;
        vec![error]
    })
}

/// Marks an error with the subgraph it came from. Its `locations` point
/// into the subgraph's document, not the client's, so they go.
fn tag(mut error: GraphQLError, service: &str) -> GraphQLError {
    error.locations.clear();
    error
        .extensions
        .entry("serviceName")
        .or_insert_with(|| Json::String(service.to_owned()));
    error
}

fn fetch_failed(
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
