//! Merging the subgraph models into the joined supergraph model, following the rules of
//! Apollo's composition: output fields are unioned, arguments, input fields and input-only
//! enum values intersected, and `@join__*` recorded wherever ownership is not trivial.

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;

use super::error::{CompositionError, ErrorCode};
use super::fieldsets::FieldSetUsage;
use super::joined::{FieldJoin, Graph, JEnumValue, JField, JInputValue, JType, Joined, TypeJoin};
use super::model::{FieldDef, InputValueDef, Kind, Meta, Security, Subgraph, TypeDef, named_type};
use super::types::{merge_input, merge_output};

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
    add_interface_object_fields(&mut joined);
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
            let first_graph = sources[0].0;
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

    fn merge_fields(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
        let mut field_names: Vec<&str> = Vec::new();
        for (_, source) in sources {
            for name in source.fields.keys() {
                if !field_names.contains(&name.as_str()) {
                    field_names.push(name);
                }
            }
        }
        for field_name in field_names {
            let fields: Vec<(usize, &FieldDef)> = sources
                .iter()
                .filter_map(|(g, t)| t.fields.get(field_name).map(|f| (*g, f)))
                .collect();
            if let Some(field) = self.merge_field(ty, sources, &fields) {
                ty.fields.insert(field_name.to_owned(), field);
            }
        }
    }

    fn merge_field(
        &mut self,
        ty: &JType,
        type_sources: &[(usize, &TypeDef)],
        fields: &[(usize, &FieldDef)],
    ) -> Option<JField> {
        let type_name = ty.name.as_str();
        let (_, first) = fields[0];
        let field_name = first.name.as_str();
        let coordinate = (type_name.to_owned(), field_name.to_owned());

        // Output type: the most general, with a `type:` per subgraph when they differ.
        let mut merged_type = first.ty.clone();
        for (graph, field) in &fields[1..] {
            match merge_output(&merged_type, &field.ty, &|a, b| self.is_subtype(a, b)) {
                Some(t) => merged_type = t,
                None => {
                    let (first_graph, _) = fields[0];
                    self.errors.push(
                        CompositionError::new(
                            ErrorCode::FieldTypeMismatch,
                            format!(
                                "Type of field \"{type_name}.{field_name}\" is incompatible across subgraphs: it has type \"{}\" in subgraph \"{}\" but type \"{}\" in subgraph \"{}\"",
                                first.ty,
                                self.name(first_graph),
                                field.ty,
                                self.name(*graph)
                            ),
                        )
                        .subgraphs([self.name(first_graph), self.name(*graph)])
                        .on_field(type_name, field_name),
                    );
                    return None;
                }
            }
        }
        let all_types_equal = fields.iter().all(|(_, f)| f.ty == first.ty);

        // @override: the overridden copy stops resolving the field; it keeps a
        // `usedOverridden` join when its subgraph still needs it for a key or @requires.
        let mut overridden: Vec<(usize, bool)> = Vec::new();
        // Progressive @override(label:): both copies keep resolving, each with the label.
        let mut label_overridden: Vec<(usize, String)> = Vec::new();
        for (graph, field) in fields {
            let Some(from) = &field.override_from else {
                continue;
            };
            if from == self.name(*graph) {
                self.errors.push(
                    CompositionError::new(
                        ErrorCode::OverrideFromSelf,
                        format!("Source and destination subgraphs \"{from}\" are the same for overridden field \"{type_name}.{field_name}\""),
                    )
                    .subgraph(from)
                    .on_field(type_name, field_name),
                );
                continue;
            }
            if let Some((from_graph, _)) = fields.iter().find(|(g, _)| self.name(*g) == from) {
                match &field.override_label {
                    Some(label) => label_overridden.push((*from_graph, label.clone())),
                    None => {
                        let used = self.usage[*from_graph].used.contains(&coordinate);
                        overridden.push((*from_graph, used));
                    }
                }
            }
        }
        let unused_overridden = |g: usize| overridden.iter().any(|(o, used)| *o == g && !used);
        let used_overridden = |g: usize| overridden.iter().any(|(o, used)| *o == g && *used);

        let object = ty.kind == Kind::Object;
        let resolving: Vec<(usize, &FieldDef)> = fields
            .iter()
            .filter(|(g, f)| {
                !unused_overridden(*g)
                    && !used_overridden(*g)
                    && !label_overridden.iter().any(|(o, _)| o == g)
                    && (!f.external || self.usage[*g].provided.contains(&coordinate))
            })
            .copied()
            .collect();
        if object && fields.iter().all(|(_, f)| f.external) {
            let names: Vec<&str> = fields.iter().map(|(g, _)| self.name(*g)).collect();
            self.errors.push(
                CompositionError::new(
                    ErrorCode::ExternalMissingOnBase,
                    format!(
                        "Field \"{type_name}.{field_name}\" is marked @external on all the subgraphs in which it is listed ({})",
                        quote_list("subgraph", &names)
                    ),
                )
                .subgraphs(names.iter().copied())
                .on_field(type_name, field_name),
            );
        }
        if object && resolving.len() > 1 {
            self.check_shareable(type_name, field_name, &resolving);
        }

        // Arguments: intersection over the subgraphs that resolve the field themselves.
        let arg_sources: Vec<(usize, &FieldDef)> = {
            let local: Vec<_> = fields
                .iter()
                .filter(|(_, f)| !f.external)
                .copied()
                .collect();
            if local.is_empty() {
                fields.to_vec()
            } else {
                local
            }
        };
        let args = self.merge_input_values(
            type_name,
            Some(field_name),
            &arg_sources
                .iter()
                .map(|(g, f)| (*g, &f.args))
                .collect::<Vec<_>>(),
            false,
        );

        let needs_join = !all_types_equal
            || !overridden.is_empty()
            || fields.iter().any(|(_, f)| f.override_label.is_some())
            || type_sources.iter().any(|(graph, _)| {
                match fields.iter().find(|(g, _)| g == graph) {
                    Some((g, f)) if !unused_overridden(*g) => {
                        f.external || f.requires.is_some() || f.provides.is_some()
                    }
                    _ => true,
                }
            });
        let joins = needs_join.then(|| {
            fields
                .iter()
                .filter(|(g, _)| !unused_overridden(*g))
                .map(|(g, f)| FieldJoin {
                    graph: *g,
                    requires: f.requires.as_ref().map(|r| r.text.clone()),
                    provides: f.provides.as_ref().map(|p| p.text.clone()),
                    ty: (!all_types_equal).then(|| f.ty.to_string()),
                    external: f.external,
                    override_from: f.override_from.clone(),
                    override_label: f.override_label.clone().or_else(|| {
                        label_overridden
                            .iter()
                            .find(|(o, _)| o == g)
                            .map(|(_, l)| l.clone())
                    }),
                    used_overridden: used_overridden(*g),
                })
                .collect()
        });
        Some(JField {
            name: field_name.to_owned(),
            description: first_description(fields.iter().map(|(_, f)| &f.description)),
            ty: merged_type,
            args,
            meta: merge_meta(fields.iter().map(|(_, f)| &f.meta)),
            joins,
        })
    }

    fn check_shareable(
        &mut self,
        type_name: &str,
        field_name: &str,
        resolving: &[(usize, &FieldDef)],
    ) {
        let coordinate = (type_name.to_owned(), field_name.to_owned());
        let non_shareable: Vec<&str> = resolving
            .iter()
            .filter(|(g, f)| {
                !f.shareable
                    && !f.external
                    && !self.subgraphs[*g].fed1
                    && !self.usage[*g].key_fields.contains(&coordinate)
            })
            .map(|(g, _)| self.name(*g))
            .collect();
        if non_shareable.is_empty() {
            return;
        }
        let all: Vec<&str> = resolving.iter().map(|(g, _)| self.name(*g)).collect();
        let which = if non_shareable.len() == all.len() {
            "all of them".to_owned()
        } else {
            quote_list("subgraph", &non_shareable)
        };
        self.errors.push(
            CompositionError::new(
                ErrorCode::InvalidFieldSharing,
                format!(
                    "Non-shareable field \"{type_name}.{field_name}\" is resolved from multiple subgraphs: it is resolved from {} and defined as non-shareable in {which}",
                    quote_list("subgraph", &all)
                ),
            )
            .subgraphs(all.iter().copied())
            .on_field(type_name, field_name),
        );
    }

    /// Arguments (`input_object == false`) or input object fields: intersection; a value
    /// missing from some subgraph is dropped unless it is required somewhere (an error).
    fn merge_input_values(
        &mut self,
        type_name: &str,
        field: Option<&str>,
        sources: &[(usize, &IndexMap<String, InputValueDef>)],
        input_object: bool,
    ) -> IndexMap<String, JInputValue> {
        let mut merged = IndexMap::new();
        let mut names: Vec<&str> = Vec::new();
        for (_, values) in sources {
            for name in values.keys() {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        let describe = |name: &str| match field {
            Some(field) => format!("Argument \"{type_name}.{field}({name}:)\""),
            None => format!("Input object field \"{type_name}.{name}\""),
        };
        for name in names {
            let present: Vec<(usize, &InputValueDef)> = sources
                .iter()
                .filter_map(|(g, values)| values.get(name).map(|v| (*g, v)))
                .collect();
            let missing: Vec<&str> = sources
                .iter()
                .filter(|(_, values)| !values.contains_key(name))
                .map(|(g, _)| self.name(*g))
                .collect();
            let coordinate_field = field.unwrap_or(name);
            if !missing.is_empty() {
                let required: Vec<&str> = present
                    .iter()
                    .filter(|(_, v)| v.ty.is_non_null() && v.default.is_none())
                    .map(|(g, _)| self.name(*g))
                    .collect();
                if !required.is_empty() {
                    let code = if input_object {
                        ErrorCode::RequiredInputFieldMissing
                    } else {
                        ErrorCode::RequiredArgumentMissing
                    };
                    self.errors.push(
                        CompositionError::new(
                            code,
                            format!(
                                "{} is required in some subgraphs but does not appear in all subgraphs: it is required in {} but does not appear in {}",
                                describe(name),
                                quote_list("subgraph", &required),
                                quote_list("subgraph", &missing)
                            ),
                        )
                        .subgraphs(required.iter().chain(missing.iter()).copied())
                        .on_field(type_name, coordinate_field),
                    );
                } else {
                    let defined: Vec<&str> = present.iter().map(|(g, _)| self.name(*g)).collect();
                    self.hints.push(format!(
                        "{} is left out of the supergraph as it does not appear in all subgraphs: it is defined in {} but not in {}",
                        describe(name),
                        quote_list("subgraph", &defined),
                        quote_list("subgraph", &missing)
                    ));
                }
                continue;
            }
            let (first_graph, first) = present[0];
            let mut ty = first.ty.clone();
            let mut failed = false;
            for (graph, value) in &present[1..] {
                match merge_input(&ty, &value.ty) {
                    Some(t) => ty = t,
                    None => {
                        self.errors.push(
                            CompositionError::new(
                                ErrorCode::InputTypeMismatch,
                                format!(
                                    "Type of {} is incompatible across subgraphs: it has type \"{}\" in subgraph \"{}\" but type \"{}\" in subgraph \"{}\"",
                                    describe(name).to_lowercase(),
                                    first.ty,
                                    self.name(first_graph),
                                    value.ty,
                                    self.name(*graph)
                                ),
                            )
                            .subgraphs([self.name(first_graph), self.name(*graph)])
                            .on_field(type_name, coordinate_field),
                        );
                        failed = true;
                        break;
                    }
                }
            }
            if let Some((graph, other)) = present.iter().find(|(_, v)| v.default != first.default) {
                let show = |v: &InputValueDef| {
                    v.default
                        .as_ref()
                        .map_or("no default value".to_owned(), |d| {
                            format!("default value {d}")
                        })
                };
                self.errors.push(
                    CompositionError::new(
                        ErrorCode::DefaultValueMismatch,
                        format!(
                            "{} has incompatible default values across subgraphs: it has {} in subgraph \"{}\" but {} in subgraph \"{}\"",
                            describe(name),
                            show(first),
                            self.name(first_graph),
                            show(other),
                            self.name(*graph)
                        ),
                    )
                    .subgraphs([self.name(first_graph), self.name(*graph)])
                    .on_field(type_name, coordinate_field),
                );
                failed = true;
            }
            if failed {
                continue;
            }
            let types_differ = present.iter().any(|(_, v)| v.ty != first.ty);
            merged.insert(
                name.to_owned(),
                JInputValue {
                    name: name.to_owned(),
                    description: first_description(present.iter().map(|(_, v)| &v.description)),
                    ty,
                    default: first.default.clone(),
                    meta: merge_meta(present.iter().map(|(_, v)| &v.meta)),
                    joins: (input_object && types_differ).then(|| {
                        present
                            .iter()
                            .map(|(g, v)| FieldJoin {
                                graph: *g,
                                ty: Some(v.ty.to_string()),
                                ..FieldJoin::default()
                            })
                            .collect()
                    }),
                },
            );
        }
        merged
    }

    fn merge_input_object(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
        let values: Vec<(usize, &IndexMap<String, InputValueDef>)> =
            sources.iter().map(|(g, t)| (*g, &t.input_fields)).collect();
        ty.input_fields = self.merge_input_values(&ty.name, None, &values, true);
        if ty.input_fields.is_empty() {
            let names: Vec<&str> = sources.iter().map(|(g, _)| self.name(*g)).collect();
            self.errors.push(
                CompositionError::new(
                    ErrorCode::EmptyMergedInputType,
                    format!(
                        "None of the fields of input object type \"{}\" are consistently defined in all the subgraphs defining that type",
                        ty.name
                    ),
                )
                .subgraphs(names.iter().copied())
                .on_type(&ty.name),
            );
        }
    }

    /// Output-only enums take every value, input-only enums the values common to all
    /// subgraphs, and enums used both ways must agree exactly.
    fn merge_enum(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
        let as_input = self.input_enums.contains(&ty.name);
        let as_output = self.output_enums.contains(&ty.name);
        let mut names: Vec<&str> = Vec::new();
        for (_, source) in sources {
            for name in source.values.keys() {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        for name in names {
            let present: Vec<(usize, &TypeDef)> = sources
                .iter()
                .filter(|(_, t)| t.values.contains_key(name))
                .copied()
                .collect();
            let missing: Vec<&str> = sources
                .iter()
                .filter(|(_, t)| !t.values.contains_key(name))
                .map(|(g, _)| self.name(*g))
                .collect();
            if !missing.is_empty() && as_input {
                if as_output {
                    let defined: Vec<&str> = present.iter().map(|(g, _)| self.name(*g)).collect();
                    self.errors.push(
                        CompositionError::new(
                            ErrorCode::EnumValueMismatch,
                            format!(
                                "Enum type \"{}\" is used as both input type and output type, but value \"{name}\" is not defined in all the subgraphs defining \"{}\": \"{name}\" is defined in {} but not in {}",
                                ty.name,
                                ty.name,
                                quote_list("subgraph", &defined),
                                quote_list("subgraph", &missing)
                            ),
                        )
                        .subgraphs(defined.iter().chain(missing.iter()).copied())
                        .on_field(&ty.name, name),
                    );
                } else {
                    let defined: Vec<&str> = present.iter().map(|(g, _)| self.name(*g)).collect();
                    self.hints.push(format!(
                        "Value \"{name}\" of input enum \"{}\" is left out of the supergraph as it is not defined in all the subgraphs defining \"{}\": it is defined in {} but not in {}",
                        ty.name,
                        ty.name,
                        quote_list("subgraph", &defined),
                        quote_list("subgraph", &missing)
                    ));
                }
                continue;
            }
            let values: Vec<_> = present
                .iter()
                .filter_map(|(_, t)| t.values.get(name))
                .collect();
            ty.values.insert(
                name.to_owned(),
                JEnumValue {
                    name: name.to_owned(),
                    description: first_description(values.iter().map(|v| &v.description)),
                    meta: merge_meta(values.iter().map(|v| &v.meta)),
                    graphs: present.iter().map(|(g, _)| *g).collect(),
                },
            );
        }
    }
}

/// Every object type implementing an interface that some subgraph declares as an
/// @interfaceObject gets the interface's fields it lacks, resolved through the interface
/// (a bare `@join__field`), as Apollo's composition does.
fn add_interface_object_fields(joined: &mut Joined) {
    let interfaces: Vec<String> = joined
        .types
        .values()
        .filter(|t| t.kind == Kind::Interface && t.joins.iter().any(|j| j.interface_object))
        .map(|t| t.name.clone())
        .collect();
    for interface in interfaces {
        let Some(fields) = joined.types.get(&interface).map(|t| t.fields.clone()) else {
            continue;
        };
        for ty in joined.types.values_mut() {
            if ty.kind != Kind::Object || !ty.implements.contains_key(&interface) {
                continue;
            }
            for (name, field) in &fields {
                if !ty.fields.contains_key(name) {
                    let mut copy = field.clone();
                    copy.description = None;
                    copy.meta = Meta::default();
                    copy.joins = Some(Vec::new());
                    ty.fields.insert(name.clone(), copy);
                }
            }
        }
    }
}

/// Apollo links the authorization specs subgraph by subgraph, each subgraph adding the
/// ones it uses in canonical order.
fn security_order(subgraphs: &[Subgraph]) -> Vec<Security> {
    let mut order = Vec::new();
    for subgraph in subgraphs {
        let mut used: Vec<Security> = subgraph
            .types
            .values()
            .flat_map(|t| t.metas())
            .flat_map(Meta::security)
            .collect();
        used.sort_by_key(|s| *s as u8);
        for feature in used {
            if !order.contains(&feature) {
                order.push(feature);
            }
        }
    }
    order
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
