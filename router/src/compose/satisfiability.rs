//! A path-based stand-in for Apollo's satisfiability analysis.
//!
//! Starting at each root type, every selectable field path is followed with the set of
//! subgraphs that could be serving it. A field is satisfiable at a path when one of those
//! subgraphs, or one reachable from them through a resolvable @key (including an
//! @interfaceObject's key), resolves it; the next step of the path then continues from the
//! subgraphs that resolve it. An unsatisfiable field is reported with an example path.

use std::collections::{BTreeSet, HashSet, VecDeque};

use super::error::{CompositionError, ErrorCode};
use super::fieldsets::FieldSetUsage;
use super::joined::{JType, Joined};
use super::merge::quote_list;
use super::model::{Key, Kind, ROOT_TYPES, Subgraph};

type Graphs = BTreeSet<usize>;

pub(crate) fn check(
    subgraphs: &[Subgraph],
    usage: &[FieldSetUsage],
    joined: &Joined,
) -> Vec<CompositionError> {
    let checker = Checker {
        subgraphs,
        usage,
        joined,
    };
    let mut errors = Vec::new();
    let mut reported: HashSet<(String, String)> = HashSet::new();
    let mut visited: HashSet<(String, Graphs)> = HashSet::new();
    let mut queue: VecDeque<(String, Graphs, String)> = VecDeque::new();
    for root in ROOT_TYPES {
        let graphs: Graphs = (0..subgraphs.len())
            .filter(|g| {
                subgraphs[*g]
                    .types
                    .get(root)
                    .is_some_and(|t| !t.fields.is_empty())
            })
            .collect();
        if !graphs.is_empty() {
            queue.push_back((root.to_owned(), graphs, root.to_owned()));
        }
    }
    while let Some((type_name, graphs, path)) = queue.pop_front() {
        if !visited.insert((type_name.clone(), graphs.clone())) {
            continue;
        }
        let Some(ty) = joined
            .types
            .get(&type_name)
            .filter(|t| !t.meta.inaccessible)
        else {
            continue;
        };
        match ty.kind {
            Kind::Object => {
                let reachable = checker.closure(&type_name, &graphs);
                // Only what clients can select matters: @inaccessible fields are not.
                for field in ty.fields.values().filter(|f| !f.meta.inaccessible) {
                    let resolving: Graphs = checker
                        .resolvers(ty, &field.name)
                        .intersection(&reachable)
                        .copied()
                        .collect();
                    let next_path = format!("{path}.{}", field.name);
                    if resolving.is_empty() {
                        if reported.insert((type_name.clone(), field.name.clone())) {
                            errors.push(checker.error(ty, &field.name, &graphs, &next_path));
                        }
                        continue;
                    }
                    let target = field.ty.inner_named_type().as_str();
                    if joined.types.get(target).is_some_and(is_composite) {
                        queue.push_back((target.to_owned(), resolving, next_path));
                    }
                }
            }
            Kind::Interface | Kind::Union => {
                // At runtime the value is one of the possible types of the subgraph serving it.
                for member in possible_types(joined, ty) {
                    let serving: Graphs = graphs
                        .iter()
                        .copied()
                        .filter(|g| checker.may_be(*g, &type_name, member))
                        .collect();
                    if !serving.is_empty() {
                        queue.push_back((member.to_owned(), serving, format!("{path}<{member}>")));
                    }
                }
            }
            _ => {}
        }
    }
    errors
}

fn is_composite(ty: &JType) -> bool {
    matches!(ty.kind, Kind::Object | Kind::Interface | Kind::Union)
}

fn possible_types<'a>(joined: &'a Joined, ty: &'a JType) -> Vec<&'a str> {
    match ty.kind {
        Kind::Union => ty.members.keys().map(String::as_str).collect(),
        _ => joined
            .types
            .values()
            .filter(|t| t.kind == Kind::Object && t.implements.contains_key(&ty.name))
            .map(|t| t.name.as_str())
            .collect(),
    }
}

struct Checker<'a> {
    subgraphs: &'a [Subgraph],
    usage: &'a [FieldSetUsage],
    joined: &'a Joined,
}

impl Checker<'_> {
    /// Whether `member` is a possible runtime type of `abstract_type` when `graph` serves it.
    fn may_be(&self, graph: usize, abstract_type: &str, member: &str) -> bool {
        let subgraph = &self.subgraphs[graph];
        match subgraph.types.get(abstract_type) {
            // An @interfaceObject stands for every implementation.
            Some(t) if t.interface_object => true,
            Some(t) if t.kind == Kind::Union => t.members.iter().any(|m| m == member),
            Some(_) => subgraph
                .types
                .get(member)
                .is_some_and(|m| m.implements.iter().any(|i| i == abstract_type)),
            None => false,
        }
    }

    /// Subgraphs resolving `type.field` themselves (provided fields included).
    fn resolvers(&self, ty: &JType, field: &str) -> Graphs {
        let coordinate = (ty.name.clone(), field.to_owned());
        let mut graphs: Graphs = match ty.fields.get(field).map(|f| &f.joins) {
            Some(Some(joins)) => joins
                .iter()
                .filter(|j| !j.external && !j.used_overridden)
                .map(|j| j.graph)
                .collect(),
            _ => ty.joins.iter().map(|j| j.graph).collect(),
        };
        for (graph, usage) in self.usage.iter().enumerate() {
            if usage.provided.contains(&coordinate) {
                graphs.insert(graph);
            }
        }
        // Fields an @interfaceObject adds to an interface resolve for its implementations.
        for interface in ty.implements.keys() {
            for (graph, subgraph) in self.subgraphs.iter().enumerate() {
                if subgraph
                    .types
                    .get(interface)
                    .is_some_and(|i| i.interface_object && i.fields.contains_key(field))
                {
                    graphs.insert(graph);
                }
            }
        }
        graphs
    }

    /// The subgraphs reachable from `graphs` at `type_name` through resolvable keys.
    fn closure(&self, type_name: &str, graphs: &Graphs) -> Graphs {
        let mut seen = graphs.clone();
        let mut queue: VecDeque<usize> = graphs.iter().copied().collect();
        let interfaces: Vec<&String> = self
            .joined
            .types
            .get(type_name)
            .map(|t| t.implements.keys().collect())
            .unwrap_or_default();
        while let Some(current) = queue.pop_front() {
            for (other, subgraph) in self.subgraphs.iter().enumerate() {
                if seen.contains(&other) {
                    continue;
                }
                let direct = subgraph
                    .types
                    .get(type_name)
                    .is_some_and(|t| self.can_jump(current, type_name, &t.keys));
                let through_interface = interfaces.iter().any(|i| {
                    subgraph.types.get(*i).is_some_and(|t| {
                        t.interface_object && self.can_jump(current, type_name, &t.keys)
                    })
                });
                if direct || through_interface {
                    seen.insert(other);
                    queue.push_back(other);
                }
            }
        }
        seen
    }

    /// Some resolvable key of the target has all its fields resolvable in `from`.
    fn can_jump(&self, from: usize, type_name: &str, keys: &[Key]) -> bool {
        let subgraph = &self.subgraphs[from];
        // A subgraph with an @interfaceObject knows each implementation as the interface.
        let seen_as = if subgraph.types.contains_key(type_name) {
            type_name
        } else {
            let interfaces = self
                .joined
                .types
                .get(type_name)
                .map(|t| t.implements.keys());
            interfaces
                .into_iter()
                .flatten()
                .find(|i| subgraph.types.get(*i).is_some_and(|t| t.interface_object))
                .map_or(type_name, String::as_str)
        };
        keys.iter().any(|k| {
            k.resolvable
                && k.selection
                    .top_level_fields()
                    .all(|f| subgraph.field(seen_as, f).is_some_and(|d| !d.external))
        })
    }

    fn error(&self, ty: &JType, field: &str, graphs: &Graphs, path: &str) -> CompositionError {
        let from: Vec<&str> = graphs
            .iter()
            .map(|g| self.subgraphs[*g].name.as_str())
            .collect();
        let owners: Vec<&str> = self
            .resolvers(ty, field)
            .iter()
            .map(|g| self.subgraphs[*g].name.as_str())
            .collect();
        let owned = if owners.is_empty() {
            "no subgraph resolves it".to_owned()
        } else {
            format!(
                "it is resolved only in {}, which no resolvable @key leads to",
                quote_list("subgraph", &owners)
            )
        };
        CompositionError::new(
            ErrorCode::SatisfiabilityError,
            format!(
                "Field \"{}.{field}\" cannot be satisfied for the query path {path}: it is reached in {} and {owned}",
                ty.name,
                quote_list("subgraph", &from)
            ),
        )
        .subgraphs(from.iter().chain(owners.iter()).copied())
        .on_field(&ty.name, field)
    }
}
