//! Checks every `@key`, `@requires` and `@provides` of one subgraph against that
//! subgraph's own types, and records which fields they use: key fields are implicitly
//! shareable, fields a subgraph uses stay "used" when overridden, and provided fields
//! resolve locally.

use std::collections::HashSet;

use super::error::{CompositionError, ErrorCode};
use super::fieldset::{Coordinate, FieldSet, Selection};
use super::model::{Subgraph, named_type};

#[derive(Debug, Default)]
pub(crate) struct FieldSetUsage {
    /// Fields selected by this subgraph's keys (at any depth).
    pub key_fields: HashSet<Coordinate>,
    /// Fields selected by keys, @requires or @provides.
    pub used: HashSet<Coordinate>,
    /// Fields selected by @provides.
    pub provided: HashSet<Coordinate>,
}

pub(crate) fn check_field_sets(subgraph: &Subgraph) -> (FieldSetUsage, Vec<CompositionError>) {
    let mut usage = FieldSetUsage::default();
    let mut errors = Vec::new();
    let name = subgraph.name.as_str();
    for ty in subgraph.types.values() {
        for key in &ty.keys {
            let error = |code: ErrorCode, message: String| {
                CompositionError::new(
                    code,
                    format!(
                        "On type \"{}\", for @key(fields: \"{}\"): {message}",
                        ty.name, key.fields
                    ),
                )
                .subgraph(name)
                .on_type(&ty.name)
            };
            if key.selection.has_arguments() {
                let message = "fields in a @key may not take arguments".to_owned();
                errors.push(error(ErrorCode::KeyFieldsHasArgs, message));
                continue;
            }
            match key.selection.check(subgraph, &ty.name) {
                Ok(used) => {
                    let with_args = used.iter().find(|(t, f)| subgraph.field(t, f).is_some_and(|d| !d.args.is_empty()));
                    if let Some((t, f)) = with_args {
                        let message = format!("field {t}.{f} cannot be included because it has arguments (fields with argument are not allowed in @key)");
                        errors.push(error(ErrorCode::KeyFieldsHasArgs, message));
                    }
                    usage.key_fields.extend(used.iter().cloned());
                    usage.used.extend(used);
                }
                Err(message) => errors.push(error(ErrorCode::KeyInvalidFields, format!(
                    "{message} (the field should either be added to this subgraph or, if it should not be resolved by this subgraph, you need to add it to this subgraph with @external)"
                ))),
            }
        }
        for field in ty.fields.values() {
            if let Some(requires) = &field.requires {
                let error = field_set_error(
                    ErrorCode::RequiresInvalidFields,
                    "requires",
                    &requires.text,
                    name,
                    (ty.name.as_str(), field.name.as_str()),
                );
                match requires.value.check(subgraph, &ty.name) {
                    Ok(used) => {
                        for top in requires.value.top_level_fields() {
                            if subgraph.field(&ty.name, top).is_some_and(|f| !f.external) {
                                errors.push(error(format!(
                                    "field \"{}.{top}\" should not be part of a @requires since it is already provided by this subgraph (it is not marked @external)",
                                    ty.name
                                )));
                            }
                        }
                        usage.used.extend(used);
                    }
                    Err(message) => errors.push(error(message)),
                }
            }
            if let Some(provides) = &field.provides {
                let target = named_type(&field.ty);
                let error = field_set_error(
                    ErrorCode::ProvidesInvalidFields,
                    "provides",
                    &provides.text,
                    name,
                    (ty.name.as_str(), field.name.as_str()),
                );
                match provides.value.check(subgraph, target) {
                    Ok(used) => {
                        for (leaf_type, leaf) in leaves(&provides.value, subgraph, target) {
                            if subgraph
                                .field(&leaf_type, &leaf)
                                .is_some_and(|f| !f.external)
                            {
                                errors.push(error(format!(
                                    "field \"{leaf_type}.{leaf}\" should not be part of a @provides since it is already provided by this subgraph (it is not marked @external)"
                                )));
                            }
                        }
                        usage.provided.extend(used.iter().cloned());
                        usage.used.extend(used);
                    }
                    Err(message) => errors.push(error(message)),
                }
            }
        }
    }
    check_external_used(subgraph, &usage, &mut errors);
    (usage, errors)
}

/// How a field's `@requires` or `@provides` (`directive`, with field set
/// `fields`) in subgraph `subgraph` reports what is wrong with it.
fn field_set_error<'a>(
    code: ErrorCode,
    directive: &'a str,
    fields: &'a str,
    subgraph: &'a str,
    (type_name, field): (&'a str, &'a str),
) -> impl Fn(String) -> CompositionError + 'a {
    move |message| {
        CompositionError::new(
            code,
            format!(
                "On field \"{type_name}.{field}\", for @{directive}(fields: \"{fields}\"): {message}"
            ),
        )
        .subgraph(subgraph)
        .on_field(type_name, field)
    }
}

/// An @external field must serve a @key, @requires or @provides of its subgraph (or an
/// interface the type implements); otherwise the declaration is a mistake.
fn check_external_used(
    subgraph: &Subgraph,
    usage: &FieldSetUsage,
    errors: &mut Vec<CompositionError>,
) {
    if subgraph.fed1 {
        return;
    }
    for ty in subgraph.types.values() {
        for field in ty.fields.values().filter(|f| f.external) {
            let coordinate = (ty.name.clone(), field.name.clone());
            let in_interface = ty
                .implements
                .iter()
                .any(|i| subgraph.field(i, &field.name).is_some());
            if usage.used.contains(&coordinate) || in_interface {
                continue;
            }
            errors.push(
                CompositionError::new(
                    ErrorCode::ExternalUnused,
                    format!(
                        "Field \"{}.{}\" is marked @external but is not used in any federation directive (@key, @provides, @requires) or to satisfy an interface; the field declaration has no use and should be removed (or the field should not be @external).",
                        ty.name, field.name
                    ),
                )
                .subgraph(&subgraph.name)
                .on_field(&ty.name, &field.name),
            );
        }
    }
}

/// The leaf fields of a (valid) field set: those a @provides must find @external.
fn leaves(set: &FieldSet, subgraph: &Subgraph, type_name: &str) -> Vec<Coordinate> {
    fn walk(
        selections: &[Selection],
        subgraph: &Subgraph,
        type_name: &str,
        out: &mut Vec<Coordinate>,
    ) {
        for selection in selections {
            match selection {
                Selection::Field {
                    name, selections, ..
                } if selections.is_empty() => {
                    if name != "__typename" {
                        out.push((type_name.to_owned(), name.clone()));
                    }
                }
                Selection::Field {
                    name, selections, ..
                } => {
                    if let Some(field) = subgraph.field(type_name, name) {
                        walk(selections, subgraph, named_type(&field.ty), out);
                    }
                }
                Selection::InlineFragment {
                    type_condition,
                    selections,
                } => {
                    walk(
                        selections,
                        subgraph,
                        type_condition.as_deref().unwrap_or(type_name),
                        out,
                    );
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&set.0, subgraph, type_name, &mut out);
    out
}
