//! Output fields: union over subgraphs, with @override, shareability and `@join__field`.

use apollo_compiler::ast;

use super::super::error::{CompositionError, ErrorCode};
use super::super::joined::{FieldJoin, JField, JType, Joined};
use super::super::model::{FieldDef, Kind, Meta, TypeDef};
use super::super::types::merge_output;
use super::{Merger, first_description, merge_meta, quote_list};

impl Merger<'_> {
    pub(super) fn merge_fields(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
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
        let field_name = fields.first()?.1.name.as_str();
        let coordinate = (type_name.to_owned(), field_name.to_owned());

        // What subgraphs resolve themselves decides the field; @external copies only
        // declare what they expect (checked below), unless every copy is external.
        let merging: Vec<(usize, &FieldDef)> = {
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
        let (&(first_graph, first), rest) = merging.split_first()?;

        // Output type: the most general, with a `type:` per subgraph when they differ.
        let mut merged_type = first.ty.clone();
        let mut type_failed = false;
        for (graph, field) in rest {
            match merge_output(&merged_type, &field.ty, &|a, b| self.is_subtype(a, b)) {
                Some(t) => merged_type = t,
                None => {
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
                    // Keep checking the field (shareability...), as Apollo reports those too.
                    type_failed = true;
                    break;
                }
            }
        }
        let all_types_equal = merging.iter().all(|(_, f)| f.ty == first.ty);

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
            let source_override = fields
                .iter()
                .find(|(g, f)| self.name(*g) == from && f.override_from.is_some());
            if let Some((source_graph, _)) = source_override {
                self.errors.push(
                    CompositionError::new(
                        ErrorCode::OverrideSourceHasOverride,
                        format!(
                            "Field \"{type_name}.{field_name}\" on subgraph \"{}\" is also marked with directive @override in subgraph \"{}\". Only one @override directive is allowed per field.",
                            self.name(*graph),
                            self.name(*source_graph)
                        ),
                    )
                    .subgraphs([self.name(*graph), self.name(*source_graph)])
                    .on_field(type_name, field_name),
                );
                continue;
            }
            // Overriding an @external copy changes nothing: it never resolved the field.
            let from_copy = fields
                .iter()
                .find(|(g, f)| self.name(*g) == from && !f.external);
            if let Some((from_graph, _)) = from_copy {
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
        if type_failed {
            return None;
        }

        // Arguments: intersection over the subgraphs that resolve the field themselves.
        let arg_sources = &merging;
        let args = self.merge_input_values(
            type_name,
            Some(field_name),
            &arg_sources
                .iter()
                .map(|(g, f)| (*g, &f.args))
                .collect::<Vec<_>>(),
            false,
        );
        if merging.len() < fields.len() {
            let merged_args: Vec<&str> = args.keys().map(String::as_str).collect();
            self.check_external_copies(
                type_name,
                field_name,
                &merged_type,
                &merged_args,
                &merging,
                fields,
            );
        }

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
            description: first_description(merging.iter().map(|(_, f)| &f.description)),
            ty: merged_type,
            args,
            meta: merge_meta(merging.iter().map(|(_, f)| &f.meta)),
            joins,
        })
    }

    /// An @external copy must expect the field as it is: the same type as the
    /// supergraph's, and every argument the field takes.
    fn check_external_copies(
        &mut self,
        type_name: &str,
        field_name: &str,
        merged_type: &ast::Type,
        merged_args: &[&str],
        merging: &[(usize, &FieldDef)],
        fields: &[(usize, &FieldDef)],
    ) {
        for (graph, external) in fields.iter().filter(|(_, f)| f.external) {
            // Apollo rejects any difference here, even in nullability.
            if external.ty != *merged_type {
                let owners: Vec<&str> = merging.iter().map(|(g, _)| self.name(*g)).collect();
                self.errors.push(
                    CompositionError::new(
                        ErrorCode::ExternalTypeMismatch,
                        format!(
                            "Type of field \"{type_name}.{field_name}\" is incompatible across subgraphs (where marked @external): it has type \"{merged_type}\" in {} but type \"{}\" in subgraph \"{}\"",
                            quote_list("subgraph", &owners),
                            external.ty,
                            self.name(*graph)
                        ),
                    )
                    .subgraph(self.name(*graph))
                    .subgraphs(owners.iter().copied())
                    .on_field(type_name, field_name),
                );
            }
            let missing: Vec<&str> = merged_args
                .iter()
                .copied()
                .filter(|arg| !external.args.contains_key(*arg))
                .collect();
            if let Some(arg) = missing.first() {
                self.errors.push(
                    CompositionError::new(
                        ErrorCode::ExternalArgumentMissing,
                        format!(
                            "Field \"{type_name}.{field_name}\" is missing argument \"{arg}\" in subgraph \"{}\", where it is marked @external",
                            self.name(*graph)
                        ),
                    )
                    .subgraph(self.name(*graph))
                    .on_field(type_name, field_name),
                );
            }
        }
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
}

/// Every object type implementing an interface that some subgraph declares as an
/// @interfaceObject gets the interface's fields it lacks, resolved through the interface
/// (a bare `@join__field`), as Apollo's composition does.
pub(super) fn add_interface_object_fields(joined: &mut Joined) {
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
