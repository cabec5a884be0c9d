//! A reachability check standing in for Apollo's full satisfiability analysis: every
//! field of an object type must be resolvable from each subgraph where a query can reach
//! that type, either locally or by jumping to another subgraph through a resolvable @key
//! whose fields the current subgraph has.

use std::collections::{BTreeSet, HashSet, VecDeque};

use super::error::{CompositionError, ErrorCode};
use super::fieldsets::FieldSetUsage;
use super::joined::Joined;
use super::model::{Kind, ROOT_TYPES, Subgraph, is_root, named_type};

pub(crate) fn check(
    subgraphs: &[Subgraph],
    usage: &[FieldSetUsage],
    joined: &Joined,
) -> Vec<CompositionError> {
    let reached = reachable(subgraphs);
    let mut errors = Vec::new();
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for (graph, type_name) in &reached {
        let Some(ty) = joined.types.get(type_name) else {
            continue;
        };
        if ty.kind != Kind::Object || is_root(type_name) {
            continue;
        }
        let closure = key_closure(subgraphs, *graph, type_name);
        for field in ty.fields.values() {
            let resolvers = resolvers(subgraphs, usage, joined, type_name, &field.name);
            if closure.iter().any(|g| resolvers.contains(g))
                || interface_object_resolves(subgraphs, joined, *graph, type_name, &field.name)
            {
                continue;
            }
            if !reported.insert((type_name.clone(), field.name.clone())) {
                continue;
            }
            let from = &subgraphs[*graph].name;
            let owners: Vec<&str> = resolvers
                .iter()
                .map(|g| subgraphs[*g].name.as_str())
                .collect();
            let message = format!(
                "Field \"{type_name}.{}\" cannot be resolved from subgraph \"{from}\": queries reach \"{type_name}\" there, but {} no resolvable @key leads from \"{from}\" to a subgraph that resolves the field{}",
                field.name,
                if owners.is_empty() {
                    "no subgraph resolves the field and"
                } else {
                    ""
                },
                if owners.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", super::merge::quote_list("subgraph", &owners))
                },
            );
            errors.push(
                CompositionError::new(ErrorCode::SatisfiabilityError, message.replace("  ", " "))
                    .subgraph(from)
                    .subgraphs(owners)
                    .on_field(type_name, &field.name),
            );
        }
    }
    errors
}

/// Subgraphs that resolve `type.field` themselves.
fn resolvers(
    subgraphs: &[Subgraph],
    usage: &[FieldSetUsage],
    joined: &Joined,
    type_name: &str,
    field: &str,
) -> BTreeSet<usize> {
    let coordinate = (type_name.to_owned(), field.to_owned());
    let mut graphs: BTreeSet<usize> = match joined
        .types
        .get(type_name)
        .and_then(|t| t.fields.get(field))
        .map(|f| &f.joins)
    {
        Some(Some(joins)) => joins
            .iter()
            .filter(|j| !j.external && !j.used_overridden)
            .map(|j| j.graph)
            .collect(),
        _ => subgraphs
            .iter()
            .enumerate()
            .filter(|(_, s)| s.types.contains_key(type_name))
            .map(|(g, _)| g)
            .collect(),
    };
    for (g, u) in usage.iter().enumerate() {
        if u.provided.contains(&coordinate) {
            graphs.insert(g);
        }
    }
    graphs
}

/// Whether an @interfaceObject subgraph resolves the field for this implementation.
fn interface_object_resolves(
    subgraphs: &[Subgraph],
    joined: &Joined,
    graph: usize,
    type_name: &str,
    field: &str,
) -> bool {
    let Some(ty) = joined.types.get(type_name) else {
        return false;
    };
    ty.implements.keys().any(|interface| {
        subgraphs.iter().any(|s| {
            s.types.get(interface).is_some_and(|i| {
                i.interface_object
                    && i.fields.contains_key(field)
                    && i.keys
                        .iter()
                        .any(|k| k.resolvable && has_key_fields(&subgraphs[graph], type_name, k))
            })
        })
    })
}

fn has_key_fields(subgraph: &Subgraph, type_name: &str, key: &super::model::Key) -> bool {
    key.selection
        .top_level_fields()
        .all(|f| subgraph.field(type_name, f).is_some_and(|d| !d.external))
}

/// The subgraphs a query at `type_name` in `graph` can move to through resolvable keys.
fn key_closure(subgraphs: &[Subgraph], graph: usize, type_name: &str) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([graph]);
    let mut queue = VecDeque::from([graph]);
    while let Some(current) = queue.pop_front() {
        for (other, subgraph) in subgraphs.iter().enumerate() {
            if seen.contains(&other) {
                continue;
            }
            let Some(ty) = subgraph.types.get(type_name) else {
                continue;
            };
            if ty
                .keys
                .iter()
                .any(|k| k.resolvable && has_key_fields(&subgraphs[current], type_name, k))
            {
                seen.insert(other);
                queue.push_back(other);
            }
        }
    }
    seen
}

/// Every `(subgraph, type)` a query can reach, starting at the root types.
fn reachable(subgraphs: &[Subgraph]) -> BTreeSet<(usize, String)> {
    let mut seen: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut queue: VecDeque<(usize, String)> = VecDeque::new();
    for (graph, subgraph) in subgraphs.iter().enumerate() {
        for root in ROOT_TYPES {
            if subgraph.types.contains_key(root) {
                queue.push_back((graph, root.to_owned()));
            }
        }
    }
    while let Some((graph, type_name)) = queue.pop_front() {
        if !seen.insert((graph, type_name.clone())) {
            continue;
        }
        let subgraph = &subgraphs[graph];
        let Some(ty) = subgraph.types.get(&type_name) else {
            continue;
        };
        let mut next: Vec<(usize, String)> = Vec::new();
        for other in key_closure(subgraphs, graph, &type_name) {
            next.push((other, type_name.clone()));
        }
        for field in ty.fields.values().filter(|f| !f.external) {
            next.push((graph, named_type(&field.ty).to_owned()));
        }
        next.extend(ty.members.iter().map(|m| (graph, m.clone())));
        if ty.kind == Kind::Interface {
            for (name, candidate) in &subgraph.types {
                if candidate.implements.contains(&type_name) {
                    next.push((graph, name.clone()));
                }
            }
        }
        for item in next {
            let composite = subgraphs[item.0]
                .types
                .get(&item.1)
                .is_some_and(|t| matches!(t.kind, Kind::Object | Kind::Interface | Kind::Union));
            if composite && !seen.contains(&item) {
                queue.push_back(item);
            }
        }
    }
    seen
}
