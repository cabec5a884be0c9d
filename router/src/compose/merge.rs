//! Merging the subgraph models into the joined supergraph model, following the rules of
//! Apollo's composition: output fields are unioned, arguments, input fields and input-only
//! enum values intersected, and `@join__*` recorded wherever ownership is not trivial.

mod authorization;
mod fields;
mod inputs;

use authorization::{propagate_authorization_to_interfaces, security_order};

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;

use super::error::{CompositionError, ErrorCode};
use super::fieldsets::FieldSetUsage;
use super::joined::{Graph, JType, Joined, TypeJoin};
use super::model::{Kind, Meta, Subgraph, TypeDef, named_type};

pub(crate) struct Merger<'a> {
    subgraphs: &'a [Subgraph],
    usage: &'a [FieldSetUsage],
    errors: Vec<CompositionError>,
    /// Non-fatal notes on what composition left out.
    hints: Vec<String>,
    /// Enums used as argument/input field types, and as output field types.
    input_enums: HashSet<String>,
    output_enums: HashSet<String>,
}

pub(crate) fn merge(
    subgraphs: &[Subgraph],
    usage: &[FieldSetUsage],
) -> Result<Joined, Vec<CompositionError>> {
    let mut merger = Merger {
        subgraphs,
        usage,
        errors: Vec::new(),
        hints: Vec::new(),
        input_enums: HashSet::new(),
        output_enums: HashSet::new(),
    };
    merger.collect_enum_usage();
    let mut joined = Joined {
        graphs: subgraphs
            .iter()
            .map(|s| Graph {
                name: s.name.clone(),
                url: s.url.clone(),
                value: s.graph.clone(),
            })
            .collect(),
        ..Joined::default()
    };
    let mut names: Vec<&str> = Vec::new();
    for subgraph in subgraphs {
        for name in subgraph.types.keys() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    for name in names {
        if let Some(ty) = merger.merge_type(name) {
            joined.types.insert(name.to_owned(), ty);
        }
    }
    fields::add_interface_object_fields(&mut joined);
    propagate_authorization_to_interfaces(&mut joined, subgraphs);
    joined.directives = merge_executable_directives(subgraphs);
    joined.security_order = security_order(subgraphs);
    match super::composed::merge(subgraphs) {
        Ok(links) => joined.composed = links,
        Err(errors) => merger.errors.extend(errors),
    }
    if joined
        .types
        .get("Query")
        .is_none_or(|q| q.fields.is_empty())
    {
        merger.errors.push(CompositionError::new(
            ErrorCode::NoQueries,
            "no subgraph defines a query root field",
        ));
    }
    if merger.errors.is_empty() {
        joined.hints = merger.hints;
        Ok(joined)
    } else {
        Err(merger.errors)
    }
}

/// `a AND b` for `@requiresScopes`/`@policy` values in disjunctive normal form, as Apollo
/// merges them: every pair of alternatives combined, redundant alternatives dropped.
pub(crate) fn dnf_and(a: &[Vec<String>], b: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut alternatives: Vec<BTreeSet<&String>> = Vec::new();
    for x in a {
        for y in b {
            let set: BTreeSet<&String> = x.iter().chain(y.iter()).collect();
            if !alternatives.contains(&set) {
                alternatives.push(set);
            }
        }
    }
    let minimal: Vec<&BTreeSet<&String>> = alternatives
        .iter()
        .filter(|s| !alternatives.iter().any(|o| o != *s && o.is_subset(s)))
        .collect();
    let mut out: Vec<Vec<String>> = minimal
        .into_iter()
        .map(|s| s.iter().map(|v| (*v).clone()).collect())
        .collect();
    out.sort();
    out
}

fn merge_meta<'m>(metas: impl IntoIterator<Item = &'m Meta>) -> Meta {
    let mut merged = Meta::default();
    for meta in metas {
        merged.inaccessible |= meta.inaccessible;
        for name in &meta.order {
            merged.applied(name);
        }
        for tag in &meta.tags {
            if !merged.tags.contains(tag) {
                merged.tags.push(tag.clone());
            }
        }
        merged.authenticated |= meta.authenticated;
        for (slot, value) in [
            (&mut merged.scopes, &meta.scopes),
            (&mut merged.policies, &meta.policies),
        ] {
            if let Some(value) = value {
                *slot = Some(match slot.take() {
                    Some(existing) => dnf_and(&existing, value),
                    None => value.clone(),
                });
            }
        }
        if merged.deprecated.is_none() {
            merged.deprecated = meta.deprecated.clone();
        }
        if merged.specified_by.is_none() {
            merged.specified_by = meta.specified_by.clone();
        }
        merged.one_of |= meta.one_of;
        for custom in &meta.custom {
            // Repeatable directives keep every distinct application, others the first.
            let present = if custom.repeatable {
                merged.custom.contains(custom)
            } else {
                merged
                    .custom
                    .iter()
                    .any(|c| c.directive.name == custom.directive.name)
            };
            if !present {
                merged.custom.push(custom.clone());
            }
        }
    }
    merged
}

fn first_description<'d>(
    descriptions: impl IntoIterator<Item = &'d Option<String>>,
) -> Option<String> {
    descriptions
        .into_iter()
        .flatten()
        .find(|d| !d.trim().is_empty())
        .cloned()
}

impl Merger<'_> {
    fn name(&self, graph: usize) -> &str {
        &self.subgraphs[graph].name
    }

    fn collect_enum_usage(&mut self) {
        for subgraph in self.subgraphs {
            let is_enum = |name: &str| {
                subgraph
                    .types
                    .get(name)
                    .is_some_and(|t| t.kind == Kind::Enum)
            };
            for ty in subgraph.types.values() {
                for field in ty.fields.values() {
                    let target = named_type(&field.ty);
                    if is_enum(target) {
                        self.output_enums.insert(target.to_owned());
                    }
                    for arg in field.args.values() {
                        if is_enum(named_type(&arg.ty)) {
                            self.input_enums.insert(named_type(&arg.ty).to_owned());
                        }
                    }
                }
                for input in ty.input_fields.values() {
                    if is_enum(named_type(&input.ty)) {
                        self.input_enums.insert(named_type(&input.ty).to_owned());
                    }
                }
            }
        }
    }

    /// Whether `sub` is an implementation or member of `sup` in some subgraph.
    fn is_subtype(&self, sub: &str, sup: &str) -> bool {
        self.subgraphs.iter().any(|s| {
            s.types
                .get(sub)
                .is_some_and(|t| t.implements.iter().any(|i| i == sup))
                || s.types
                    .get(sup)
                    .is_some_and(|t| t.members.iter().any(|m| m == sub))
        })
    }

    fn merge_type(&mut self, name: &str) -> Option<JType> {
        let sources: Vec<(usize, &TypeDef)> = self
            .subgraphs
            .iter()
            .enumerate()
            .filter_map(|(g, s)| s.types.get(name).map(|t| (g, t)))
            .collect();
        let kind = self.merged_kind(name, &sources)?;
        let mut ty = JType {
            name: name.to_owned(),
            kind,
            description: first_description(sources.iter().map(|(_, t)| &t.description)),
            meta: merge_meta(sources.iter().map(|(_, t)| &t.meta)),
            joins: Vec::new(),
            implements: IndexMap::new(),
            fields: IndexMap::new(),
            members: IndexMap::new(),
            values: IndexMap::new(),
            input_fields: IndexMap::new(),
        };
        for (graph, source) in &sources {
            if source.keys.is_empty() {
                ty.joins.push(TypeJoin {
                    graph: *graph,
                    key: None,
                    extension: false,
                    resolvable: true,
                    interface_object: source.interface_object,
                });
            }
            for key in &source.keys {
                ty.joins.push(TypeJoin {
                    graph: *graph,
                    key: Some(key.fields.clone()),
                    extension: source.extension,
                    resolvable: key.resolvable,
                    interface_object: source.interface_object,
                });
            }
            for interface in &source.implements {
                ty.implements
                    .entry(interface.clone())
                    .or_default()
                    .push(*graph);
            }
            for member in &source.members {
                ty.members.entry(member.clone()).or_default().push(*graph);
            }
        }
        match kind {
            Kind::Object | Kind::Interface => self.merge_fields(&mut ty, &sources),
            Kind::Enum => self.merge_enum(&mut ty, &sources),
            Kind::InputObject => self.merge_input_object(&mut ty, &sources),
            Kind::Union | Kind::Scalar => {}
        }
        Some(ty)
    }

    fn merged_kind(&mut self, name: &str, sources: &[(usize, &TypeDef)]) -> Option<Kind> {
        // An @interfaceObject is an object type in its subgraph, an interface elsewhere.
        let is_interface = |t: &TypeDef| {
            t.kind == Kind::Interface || (t.kind == Kind::Object && t.interface_object)
        };
        let first = sources.first()?.1;
        if sources.iter().any(|(_, t)| t.kind == Kind::Interface)
            && sources.iter().all(|(_, t)| is_interface(t))
        {
            return Some(Kind::Interface);
        }
        if let Some((graph, other)) = sources.iter().find(|(_, t)| t.kind != first.kind) {
            let first_graph = sources.first().map_or(0, |(g, _)| *g);
            self.errors.push(
                CompositionError::new(
                    ErrorCode::TypeKindMismatch,
                    format!(
                        "Type \"{name}\" has mismatched kind: it is defined as {} in subgraph \"{}\" but {} in subgraph \"{}\"",
                        first.kind.describe(),
                        self.name(first_graph),
                        other.kind.describe(),
                        self.name(*graph)
                    ),
                )
                .subgraphs([self.name(first_graph), self.name(*graph)])
                .on_type(name),
            );
            return None;
        }
        Some(first.kind)
    }
}

/// Executable directives reach the supergraph when every subgraph defines them, with the
/// locations they all share.
fn merge_executable_directives(
    subgraphs: &[Subgraph],
) -> Vec<apollo_compiler::ast::DirectiveDefinition> {
    let Some(first) = subgraphs.first() else {
        return Vec::new();
    };
    first
        .directives
        .iter()
        .filter_map(|d| {
            let mut definition = d.definition.clone();
            for other in &subgraphs[1..] {
                let theirs = other
                    .directives
                    .iter()
                    .find(|o| o.definition.name == definition.name)?;
                definition
                    .locations
                    .retain(|l| theirs.definition.locations.contains(l));
            }
            (!definition.locations.is_empty()).then_some(definition)
        })
        .collect()
}

/// `subgraph "a"`, `subgraphs "a" and "b"`, `subgraphs "a", "b" and "c"`.
pub(crate) fn quote_list(noun: &str, names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.as_slice() {
        [] => format!("no {noun}"),
        [one] => format!("{noun} {one}"),
        [init @ .., last] => format!("{noun}s {} and {last}", init.join(", ")),
    }
}
