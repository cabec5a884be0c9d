//! Field sets: the selection strings of `@key(fields:)`, `@requires(fields:)` and
//! `@provides(fields:)`, parsed once and checked against one subgraph's types.

use apollo_compiler::ast;

use super::model::{Kind, Subgraph, named_type};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selection {
    Field {
        name: String,
        has_arguments: bool,
        selections: Vec<Selection>,
    },
    InlineFragment {
        type_condition: Option<String>,
        selections: Vec<Selection>,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FieldSet(pub Vec<Selection>);

/// A field a field set selects: `(type, field)`.
pub(crate) type Coordinate = (String, String);

impl FieldSet {
    /// Parses the text of a field set, e.g. `id organization { id }`.
    pub(crate) fn parse(text: &str) -> Result<FieldSet, String> {
        let document =
            ast::Document::parse(format!("{{{text}}}"), "fieldset.graphql").map_err(|e| {
                format!(
                    "invalid field set \"{text}\": {}",
                    first_line(&e.errors.to_string())
                )
            })?;
        let mut operations = document.definitions.iter().filter_map(|d| match d {
            ast::Definition::OperationDefinition(op) => Some(op),
            _ => None,
        });
        match (operations.next(), document.definitions.len()) {
            (Some(op), 1) => Ok(FieldSet(convert(&op.selection_set, text)?)),
            _ => Err(format!("invalid field set \"{text}\"")),
        }
    }

    /// The names of the fields selected at the top level (outside fragments).
    pub(crate) fn top_level_fields(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|s| match s {
            Selection::Field { name, .. } => Some(name.as_str()),
            Selection::InlineFragment { .. } => None,
        })
    }

    /// Checks every selected field exists on `type_name` (and below) in `subgraph`, and
    /// returns the fields it selects; the error says which field is missing and where.
    pub(crate) fn check(
        &self,
        subgraph: &Subgraph,
        type_name: &str,
    ) -> Result<Vec<Coordinate>, String> {
        let mut used = Vec::new();
        check_selections(&self.0, subgraph, type_name, &mut used)?;
        Ok(used)
    }

    /// True when some selected field takes arguments (not allowed in keys).
    pub(crate) fn has_arguments(&self) -> bool {
        fn any(selections: &[Selection]) -> bool {
            selections.iter().any(|s| match s {
                Selection::Field {
                    has_arguments,
                    selections,
                    ..
                } => *has_arguments || any(selections),
                Selection::InlineFragment { selections, .. } => any(selections),
            })
        }
        any(&self.0)
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim()
}

fn convert(selections: &[ast::Selection], text: &str) -> Result<Vec<Selection>, String> {
    selections
        .iter()
        .map(|selection| match selection {
            ast::Selection::Field(field) => Ok(Selection::Field {
                name: field.name.to_string(),
                has_arguments: !field.arguments.is_empty(),
                selections: convert(&field.selection_set, text)?,
            }),
            ast::Selection::InlineFragment(fragment) => Ok(Selection::InlineFragment {
                type_condition: fragment.type_condition.as_ref().map(|t| t.to_string()),
                selections: convert(&fragment.selection_set, text)?,
            }),
            ast::Selection::FragmentSpread(_) => {
                Err(format!("field set \"{text}\" may not use named fragments"))
            }
        })
        .collect()
}

fn check_selections(
    selections: &[Selection],
    subgraph: &Subgraph,
    type_name: &str,
    used: &mut Vec<Coordinate>,
) -> Result<(), String> {
    for selection in selections {
        match selection {
            Selection::Field {
                name, selections, ..
            } => {
                if name == "__typename" {
                    continue;
                }
                let Some(field) = subgraph.field(type_name, name) else {
                    return Err(format!(
                        "Cannot query field \"{name}\" on type \"{type_name}\""
                    ));
                };
                used.push((type_name.to_owned(), name.clone()));
                let field_type = named_type(&field.ty);
                let composite = subgraph.types.get(field_type).is_some_and(|t| {
                    matches!(t.kind, Kind::Object | Kind::Interface | Kind::Union)
                });
                match (composite, selections.is_empty()) {
                    (true, true) => {
                        return Err(format!(
                            "field \"{type_name}.{name}\" of type \"{field_type}\" needs a selection of subfields"
                        ));
                    }
                    (false, false) => {
                        return Err(format!(
                            "leaf field \"{type_name}.{name}\" must not have a selection of subfields"
                        ));
                    }
                    (true, false) => check_selections(selections, subgraph, field_type, used)?,
                    (false, true) => {}
                }
            }
            Selection::InlineFragment {
                type_condition,
                selections,
            } => {
                let target = type_condition.as_deref().unwrap_or(type_name);
                if !subgraph.types.contains_key(target) {
                    return Err(format!("Unknown type \"{target}\""));
                }
                check_selections(selections, subgraph, target, used)?;
            }
        }
    }
    Ok(())
}
