//! apollo-compiler's parse and validation diagnostics as GraphQL errors:
//! one error per violation of the specification's rules, each with its
//! `locations`, worded as graphql-js words them (the reference
//! implementation; Apollo Router and Hive Router answer with the same
//! sentences, so clients and their tests see one vocabulary).

use std::collections::HashMap;

use apollo_compiler::{
    Name, Schema, ast,
    diagnostic::ToCliReport,
    parser::{SourceMap, SourceSpan},
    validation::DiagnosticList,
};

use crate::response::{GraphQLError, Location};

/// One error per diagnostic of a document that did not parse.
pub(crate) fn parse_errors(errors: &DiagnosticList) -> Vec<GraphQLError> {
    errors
        .iter()
        .map(|d| convert(d.unstable_to_json_compat()))
        .collect()
}

/// One error per rule the document breaks.
///
/// apollo-compiler builds the executable document before validating it and
/// leaves out the selections it could not build (a field the type does not
/// have, a selection on a leaf field). A field whose every selection was
/// left out then looks empty and is reported a second time as missing its
/// subselection, although the document gives it one. The Leaf Field
/// Selections rule is about the document as written, so that second report
/// is dropped for fields that have a selection set in `ast`. The two
/// reports of that rule are worded here: apollo-compiler's graphql-js
/// wording names the parent type where graphql-js names the field's type.
pub(crate) fn validation_errors(
    errors: &DiagnosticList,
    schema: &Schema,
    ast: &ast::Document,
) -> Vec<GraphQLError> {
    let fields = fields_by_location(schema, ast);
    errors
        .iter()
        .filter_map(|d| {
            let field = d.error.location().and_then(|span| fields.get(&span));
            let mut error = convert(d.unstable_to_json_compat());
            match (d.error.unstable_error_name(), field) {
                (Some("MissingSubselection"), Some(field)) if field.has_selections => {
                    return None;
                }
                (Some("MissingSubselection"), Some(field)) => {
                    error.message = format!(
                        "Field \"{name}\" of type \"{ty}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?",
                        name = field.name,
                        ty = field.ty,
                    );
                }
                (Some("SubselectionOnScalarType" | "SubselectionOnEnumType"), Some(field)) => {
                    error.message = format!(
                        "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                        field.name, field.ty,
                    );
                }
                _ => {}
            }
            Some(error)
        })
        .collect()
}

/// `unstable_to_json_compat` is the graphql-js wording apollo-compiler keeps
/// for Apollo Router; where it has none it falls back to its own message.
fn convert(error: apollo_compiler::response::GraphQLError) -> GraphQLError {
    serde_json::to_value(&error)
        .map(GraphQLError::from_subgraph_value)
        .unwrap_or_else(|_| GraphQLError::new(error.message))
}

/// A field of the document as written, with the type the schema gives it.
struct WrittenField {
    name: String,
    ty: ast::Type,
    has_selections: bool,
}

fn fields_by_location(
    schema: &Schema,
    document: &ast::Document,
) -> HashMap<SourceSpan, WrittenField> {
    let mut found = HashMap::new();
    for definition in &document.definitions {
        let (parent, selections) = match definition {
            ast::Definition::OperationDefinition(operation) => (
                schema.root_operation(operation.operation_type),
                &operation.selection_set,
            ),
            ast::Definition::FragmentDefinition(fragment) => {
                (Some(&fragment.type_condition), &fragment.selection_set)
            }
            _ => continue,
        };
        if let Some(parent) = parent {
            collect(schema, parent, selections, &mut found);
        }
    }
    found
}

fn collect(
    schema: &Schema,
    parent: &Name,
    selections: &[ast::Selection],
    found: &mut HashMap<SourceSpan, WrittenField>,
) {
    for selection in selections {
        match selection {
            ast::Selection::Field(field) => {
                let Ok(definition) = schema.type_field(parent, &field.name) else {
                    continue;
                };
                if let Some(span) = field.location() {
                    found.insert(
                        span,
                        WrittenField {
                            name: field.name.to_string(),
                            ty: definition.ty.clone(),
                            has_selections: !field.selection_set.is_empty(),
                        },
                    );
                }
                collect(
                    schema,
                    definition.ty.inner_named_type(),
                    &field.selection_set,
                    found,
                );
            }
            ast::Selection::InlineFragment(fragment) => {
                let ty = fragment.type_condition.as_ref().unwrap_or(parent);
                collect(schema, ty, &fragment.selection_set, found);
            }
            ast::Selection::FragmentSpread(_) => {}
        }
    }
}

/// An error at `span` of the document `sources` hold.
pub(crate) fn located(
    message: impl Into<String>,
    span: Option<SourceSpan>,
    sources: &SourceMap,
) -> GraphQLError {
    let mut error = GraphQLError::new(message);
    error.locations.extend(
        span.and_then(|s| s.line_column(sources))
            .map(|at| Location {
                line: at.line,
                column: at.column,
            }),
    );
    error
}
