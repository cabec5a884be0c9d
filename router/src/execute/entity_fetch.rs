//! Entity fetches: the representations of the objects a `Flatten(Fetch)`
//! (or a batch of them) stands for are read from the tree and
//! de-duplicated, sent as one `_entities` call, and each entity of the
//! answer is merged into every object its representation stands for, with
//! the subgraph's errors rebased onto those objects' paths.

use std::cell::OnceCell;

use super::{
    client::{SubgraphError, SubgraphRequest},
    data::{At, apply_rewrites, deep_merge, owned},
    executor::{Run, fetch_failed, lock, tag},
    places::Places,
    representation::{self, Distinct, MissingField},
    value::{Object, Text, Value},
};
use crate::{
    plan::{ResponsePath, Rewrite, Selection},
    response::{GraphQLError, PathSegment},
};

/// One `_entities` list of an entity fetch (a `Flatten(Fetch)` has one, a
/// `BatchFetch` one per alias).
pub(super) struct EntityList<'p> {
    pub(super) alias: &'p str,
    pub(super) variable: &'p str,
    pub(super) paths: Vec<&'p ResponsePath>,
    pub(super) requires: &'p [Selection],
    pub(super) input_rewrites: &'p [Rewrite],
    pub(super) output_rewrites: &'p [Rewrite],
}

/// The representations of one entity list, de-duplicated, and the objects
/// they stand for, each numbered with the index of its representation.
#[derive(Default)]
struct Prepared<'p> {
    /// Moved into the request's variables once it is built.
    representations: Vec<Value>,
    /// How many representations there are (they move out, the count stays).
    distinct: usize,
    objects: Places<'p>,
    /// The objects' paths, spelled out once when an error needs them.
    paths: OnceCell<Vec<(Vec<At<'p>>, usize)>>,
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
        self.all_paths()
            .iter()
            .filter(move |(_, s)| *s == slot)
            .map(|(path, _)| &path[..])
    }

    /// The paths of all the objects.
    fn all_targets(&self) -> impl Iterator<Item = &[At<'p>]> {
        self.all_paths().iter().map(|(path, _)| &path[..])
    }

    fn all_paths(&self) -> &[(Vec<At<'p>>, usize)] {
        self.paths.get_or_init(|| self.objects.paths())
    }
}

impl Run<'_> {
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
        let mut objects = Places::default();
        let mut keep = |object_path: &[At<'p>], object| {
            if let Err(MissingField(field)) =
                representation::read(object, list.requires, self.types, &mut pieces)
            {
                self.unfetchable(service, &field, owned(object_path));
                return None;
            }
            if pieces.is_empty() {
                return None;
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
            Some(slot)
        };
        for path in &list.paths {
            objects.collect(&data, &path.0, self.types, &mut keep);
        }
        prepared.objects = objects;
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
                Some(object @ Value::Object(_)) => {
                    apply_rewrites(object, list.output_rewrites, self.types);
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
        for slot in prepared.objects.numbers() {
            uses[slot] += 1;
        }
        prepared.objects.for_each_mut(tree, |object, target, slot| {
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

    pub(super) async fn entity_fetch(
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
                for target in prepared.iter().flat_map(Prepared::all_targets) {
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
                        for target in prepared.all_targets() {
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
