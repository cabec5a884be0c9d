//! Arguments, input objects and enums: the input side merges by intersection.

use indexmap::IndexMap;

use super::super::error::{CompositionError, ErrorCode};
use super::super::joined::{FieldJoin, JEnumValue, JInputValue, JType};
use super::super::model::{InputValueDef, TypeDef};
use super::super::types::merge_input;
use super::{Merger, first_description, merge_meta, quote_list};

impl Merger<'_> {
    /// Arguments (`input_object == false`) or input object fields: intersection; a value
    /// missing from some subgraph is dropped unless it is required somewhere (an error).
    pub(super) fn merge_input_values(
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
            let Some((&(first_graph, first), rest)) = present.split_first() else {
                continue;
            };
            let mut ty = first.ty.clone();
            let mut failed = false;
            for (graph, value) in rest {
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
            // Two different defaults are an error; a default some subgraphs leave out is
            // not one...
            let defaulted: Vec<(usize, &InputValueDef)> = present
                .iter()
                .filter(|(_, v)| v.default.is_some())
                .copied()
                .collect();
            // ...but the supergraph only keeps a default every subgraph agrees on.
            let default = if defaulted.len() == present.len() {
                defaulted.first().and_then(|(_, v)| v.default.clone())
            } else {
                None
            };
            let conflict = defaulted.split_first().and_then(|((g, first), others)| {
                others
                    .iter()
                    .find(|(_, v)| v.default != first.default)
                    .map(|other| ((*g, *first), *other))
            });
            if let Some(((first_graph, first), (graph, other))) = conflict {
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
                            self.name(graph)
                        ),
                    )
                    .subgraphs([self.name(first_graph), self.name(graph)])
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
                    default,
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

    pub(super) fn merge_input_object(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
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
    pub(super) fn merge_enum(&mut self, ty: &mut JType, sources: &[(usize, &TypeDef)]) {
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
