//! Schema introspection (`__schema`, `__type`), answered by the router from
//! the API schema with apollo-compiler's introspection executor.
//!
//! apollo-compiler 1.33 knows the September 2025 introspection schema but
//! for `__Type.isOneOf`. Its answer depends only on the type's name, so
//! each `isOneOf` selection is executed as `name` under the same response
//! key, and the name found there is then replaced by the answer: `true` or
//! `false` for an input object, `null` for every other type (wrapper types
//! have no name, so they stay `null`).

use apollo_compiler::{
    ExecutableDocument, Name, Node, Schema,
    collections::HashMap,
    executable::{Field, Operation, Selection, SelectionSet},
    introspection, name,
    response::JsonMap,
    schema::{ExtendedType, Implementers},
    validation::Valid,
};
use serde_json::{Map, Value};

use crate::response::GraphQLError;

/// The introspection part of `operation`'s response: `data` and errors; or
/// a request error (the operation nests introspection lists too deeply).
pub(crate) fn answer(
    schema: &Valid<Schema>,
    implementers: &HashMap<Name, Implementers>,
    document: &Valid<ExecutableDocument>,
    operation: &Node<Operation>,
    variables: &Valid<JsonMap>,
) -> Result<(Value, Vec<GraphQLError>), String> {
    introspection::check_max_depth(document, operation).map_err(|e| e.message().to_string())?;
    let rewritten = without_is_one_of(schema, document);
    let (executed, executed_operation) = match &rewritten {
        Some(rewritten) => (
            rewritten,
            rewritten
                .operations
                .get(operation.name.as_ref().map(Name::as_str))
                .map_err(|e| e.message().to_string())?,
        ),
        None => (document, operation),
    };
    let response = introspection::partial_execute(
        schema,
        implementers,
        executed,
        executed_operation,
        variables,
    )
    .map_err(|e| e.message().to_string())?;
    let (mut data, mut errors) = (Value::Null, Vec::new());
    if let Ok(Value::Object(mut response)) = serde_json::to_value(&response) {
        data = response.remove("data").unwrap_or(Value::Null);
        if let Some(Value::Array(list)) = response.remove("errors") {
            errors.extend(list.into_iter().map(GraphQLError::from_subgraph_value));
        }
    }
    if rewritten.is_some() {
        fill_is_one_of(schema, document, &operation.selection_set, &mut data);
    }
    Ok((data, errors))
}

/// `document` with every `isOneOf` selected as `name` under the same
/// response key; `None` when it selects no `isOneOf`.
fn without_is_one_of(
    schema: &Schema,
    document: &Valid<ExecutableDocument>,
) -> Option<Valid<ExecutableDocument>> {
    let name_field = schema.type_field("__Type", "name").ok()?.node.clone();
    let mut rewritten = (**document).clone();
    let mut changed = false;
    let operations = &mut rewritten.operations;
    for operation in operations
        .anonymous
        .iter_mut()
        .chain(operations.named.values_mut())
    {
        changed |= rewrite(&mut operation.make_mut().selection_set, &name_field);
    }
    for fragment in rewritten.fragments.values_mut() {
        changed |= rewrite(&mut fragment.make_mut().selection_set, &name_field);
    }
    // Same selections, same types, `name` in place of `isOneOf`: as valid
    // as the document it came from.
    changed.then(|| Valid::assume_valid(rewritten))
}

fn rewrite(
    set: &mut SelectionSet,
    name_field: &Node<apollo_compiler::schema::FieldDefinition>,
) -> bool {
    let mut changed = false;
    let on_type = set.ty == "__Type";
    for selection in &mut set.selections {
        match selection {
            Selection::Field(field) if on_type && field.name == "isOneOf" => {
                let replacement = Field::new(name!("name"), name_field.clone())
                    .with_alias(field.response_key().clone())
                    .with_directives(field.directives.iter().cloned());
                *field = field.same_location(replacement);
                changed = true;
            }
            Selection::Field(field) => {
                if !field.selection_set.selections.is_empty() {
                    changed |= rewrite(&mut field.make_mut().selection_set, name_field);
                }
            }
            Selection::InlineFragment(fragment) => {
                changed |= rewrite(&mut fragment.make_mut().selection_set, name_field);
            }
            Selection::FragmentSpread(_) => {}
        }
    }
    changed
}

/// Replaces, under every `isOneOf` the client selected, the type name the
/// rewritten operation answered with the value of `isOneOf`.
fn fill_is_one_of(
    schema: &Schema,
    document: &ExecutableDocument,
    set: &SelectionSet,
    data: &mut Value,
) {
    match data {
        Value::Array(items) => {
            for item in items {
                fill_is_one_of(schema, document, set, item);
            }
        }
        Value::Object(fields) => fill_object(schema, document, set, fields),
        _ => {}
    }
}

fn fill_object(
    schema: &Schema,
    document: &ExecutableDocument,
    set: &SelectionSet,
    fields: &mut Map<String, Value>,
) {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                let Some(value) = fields.get_mut(field.response_key().as_str()) else {
                    continue;
                };
                if set.ty == "__Type" && field.name == "isOneOf" {
                    // Only a name is replaced: the same key may be selected
                    // twice (through fragments) and filled once.
                    if let Value::String(type_name) = value {
                        *value = match schema.types.get(type_name.as_str()) {
                            Some(ExtendedType::InputObject(input)) => {
                                Value::Bool(input.directives.has("oneOf"))
                            }
                            _ => Value::Null,
                        };
                    }
                } else if !field.selection_set.selections.is_empty() {
                    fill_is_one_of(schema, document, &field.selection_set, value);
                }
            }
            Selection::InlineFragment(fragment) => {
                fill_object(schema, document, &fragment.selection_set, fields);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.fragment_name) {
                    fill_object(schema, document, &fragment.selection_set, fields);
                }
            }
        }
    }
}

// The root meta-fields of an operation: the router answers `__schema` and
// `__type` itself, and plans the rest without them.

fn is_meta(selection: &Selection, names: &[&str]) -> bool {
    matches!(selection, Selection::Field(f) if names.contains(&f.name.as_str()))
}

pub(crate) fn has_schema_introspection(operation: &Operation) -> bool {
    operation
        .selection_set
        .selections
        .iter()
        .any(|s| is_meta(s, &["__schema", "__type"]))
}

pub(crate) fn has_concrete_fields(operation: &Operation) -> bool {
    operation
        .selection_set
        .selections
        .iter()
        .any(|s| !is_meta(s, &["__schema", "__type", "__typename"]))
}

pub(crate) fn planning_text(document: &ExecutableDocument, operation: &Operation) -> String {
    let mut stripped = operation.clone();
    stripped
        .selection_set
        .selections
        .retain(|s| !is_meta(s, &["__schema", "__type"]));
    let mut text = stripped.serialize().to_string();
    for fragment in document.fragments.values() {
        text.push('\n');
        text.push_str(&fragment.serialize().to_string());
    }
    text
}
