//! A request's variables, checked and coerced (CoerceVariableValues,
//! September 2025 §6.1.2): every provided value is checked against its
//! variable's type, with one request error per problem, located at the
//! variable's definition and worded as graphql-js 17 words it (Hive Router
//! uses the same sentences). apollo-compiler's coercion then applies the
//! defaults; it stops at the first bad variable without naming it, and it
//! predates `@oneOf`, so the checks here come first.

use apollo_compiler::{
    Schema, ast::Type, executable::Operation, parser::SourceMap, request::coerce_variable_values,
    response::JsonMap, schema::ExtendedType, validation::Valid,
};
use serde_json::{Map, Value};

use super::diagnostics::located;
use crate::response::{GraphQLError, PathSegment};

pub(crate) type Coerced = (Map<String, Value>, Valid<JsonMap>);

/// The operation's variables with defaults applied, as plain JSON and as
/// apollo-compiler's coerced map; or one error per problem found.
pub(crate) fn coerce(
    schema: &Valid<Schema>,
    sources: &SourceMap,
    operation: &Operation,
    provided: Map<String, Value>,
) -> Result<Coerced, Vec<GraphQLError>> {
    let mut errors = Vec::new();
    for definition in &operation.variables {
        let name = definition.name.as_str();
        let value = provided.get(name);
        if value.is_none() && definition.default_value.is_some() {
            continue;
        }
        let mut problems = Vec::new();
        check(
            schema,
            &definition.ty,
            value,
            &mut Vec::new(),
            &mut problems,
        );
        errors.extend(problems.into_iter().map(|(path, problem)| {
            located(
                format!(
                    "Variable \"${name}\" has invalid value{}: {problem}",
                    print_path(&path)
                ),
                definition.location(),
                sources,
            )
        }));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let as_json_map: JsonMap = serde_json::from_value(Value::Object(provided))
        .map_err(|e| vec![GraphQLError::new(format!("invalid variables: {e}"))])?;
    // Values that passed the checks above coerce; should apollo-compiler
    // still refuse one, its own message says why.
    let coerced = coerce_variable_values(schema, operation, &as_json_map)
        .map_err(|e| vec![located(e.message().to_string(), e.location(), sources)])?;
    let plain = match serde_json::to_value(&*coerced) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    Ok((plain, coerced))
}

type Problem = (Vec<PathSegment>, String);

/// graphql-js's `validateInputValue`: every problem of `value` (absent:
/// `None`) as an input of type `ty`, with the path inside the value.
fn check(
    schema: &Schema,
    ty: &Type,
    value: Option<&Value>,
    path: &mut Vec<PathSegment>,
    problems: &mut Vec<Problem>,
) {
    let value = match (value, ty.is_non_null()) {
        (None, true) => {
            return report(
                problems,
                path,
                format!("Expected a value of non-null type \"{ty}\" to be provided."),
            );
        }
        (Some(Value::Null), true) => {
            return report(
                problems,
                path,
                format!("Expected value of non-null type \"{ty}\" not to be null."),
            );
        }
        (None | Some(Value::Null), false) => return,
        (Some(value), _) => value,
    };
    match ty {
        Type::List(item) | Type::NonNullList(item) => match value {
            Value::Array(items) => {
                for (index, item_value) in items.iter().enumerate() {
                    path.push(PathSegment::Index(index));
                    check(schema, item, Some(item_value), path, problems);
                    path.pop();
                }
            }
            // A single value stands for a list of one (input coercion of lists).
            single => check(schema, item, Some(single), path, problems),
        },
        Type::Named(name) | Type::NonNullNamed(name) => match schema.types.get(name) {
            Some(ExtendedType::InputObject(input)) => {
                let Value::Object(fields) = value else {
                    return report(
                        problems,
                        path,
                        format!(
                            "Expected value of type \"{name}\" to be an object, found: {}.",
                            inspect(value)
                        ),
                    );
                };
                for (field_name, field) in &input.fields {
                    match fields.get(field_name.as_str()) {
                        None if field.is_required() => report(
                            problems,
                            path,
                            format!(
                                "Expected value of type \"{name}\" to include required field \"{field_name}\", found: {}.",
                                inspect(value)
                            ),
                        ),
                        None => {}
                        Some(field_value) => {
                            path.push(PathSegment::Key(field_name.to_string()));
                            check(schema, &field.ty, Some(field_value), path, problems);
                            path.pop();
                        }
                    }
                }
                let mut known = Vec::new();
                for key in fields.keys() {
                    if input.fields.contains_key(key.as_str()) {
                        known.push(key);
                    } else {
                        report(
                            problems,
                            path,
                            format!(
                                "Expected value of type \"{name}\" not to include unknown field \"{key}\", found: {}.",
                                inspect(value)
                            ),
                        );
                    }
                }
                if input.directives.has("oneOf") {
                    let one_of = format!(
                        "Within OneOf Input Object type \"{name}\", exactly one field must be specified, and the value for that field must be non-null."
                    );
                    match known.as_slice() {
                        [key] if fields[key.as_str()].is_null() => {
                            let mut at = path.clone();
                            at.push(PathSegment::Key(key.to_string()));
                            problems.push((at, one_of));
                        }
                        [_] => {}
                        _ => report(problems, path, one_of),
                    }
                }
            }
            Some(ExtendedType::Enum(enum_)) => match value {
                Value::String(s) if enum_.values.contains_key(s.as_str()) => {}
                Value::String(s) => report(
                    problems,
                    path,
                    format!("Value \"{s}\" does not exist in \"{name}\" enum."),
                ),
                other => report(
                    problems,
                    path,
                    format!(
                        "Enum \"{name}\" cannot represent non-string value: {}.",
                        inspect(other)
                    ),
                ),
            },
            Some(ExtendedType::Scalar(_)) => {
                if let Some(message) = scalar_problem(name, value) {
                    report(problems, path, message);
                }
            }
            // Validation only lets input types reach here.
            _ => {}
        },
    }
}

fn report(problems: &mut Vec<Problem>, path: &[PathSegment], message: String) {
    problems.push((path.to_vec(), message));
}

/// Why `value` is not a valid input for the built-in scalar `name`. Custom
/// scalars take any value: their subgraph coerces them.
fn scalar_problem(name: &str, value: &Value) -> Option<String> {
    let shown = inspect(value);
    match name {
        "Int" => match value {
            Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => None,
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(format!(
                "Int cannot represent non 32-bit signed integer value: {shown}"
            )),
            _ => Some(format!("Int cannot represent non-integer value: {shown}")),
        },
        "Float" => match value {
            Value::Number(_) => None,
            _ => Some(format!("Float cannot represent non numeric value: {shown}")),
        },
        "String" => match value {
            Value::String(_) => None,
            _ => Some(format!(
                "String cannot represent a non string value: {shown}"
            )),
        },
        "Boolean" => match value {
            Value::Bool(_) => None,
            _ => Some(format!(
                "Boolean cannot represent a non boolean value: {shown}"
            )),
        },
        "ID" => match value {
            Value::String(_) => None,
            Value::Number(n) if n.is_i64() || n.is_u64() => None,
            _ => Some(format!("ID cannot represent value: {shown}")),
        },
        _ => None,
    }
}

/// graphql-js's `printPathArray`: ` at .items[0].sku`.
fn print_path(path: &[PathSegment]) -> String {
    if path.is_empty() {
        return String::new();
    }
    let steps: String = path
        .iter()
        .map(|step| match step {
            PathSegment::Key(key) => format!(".{key}"),
            PathSegment::Index(index) => format!("[{index}]"),
        })
        .collect();
    format!(" at {steps}")
}

/// graphql-js's `inspect` of a JSON value: `{ email: "a", tags: ["x"] }`,
/// two levels deep and ten list items at most.
fn inspect(value: &Value) -> String {
    fn show(value: &Value, depth: usize) -> String {
        match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => value.to_string(),
            Value::Array(items) if items.is_empty() => "[]".into(),
            Value::Array(_) if depth > 2 => "[Array]".into(),
            Value::Array(items) => {
                let mut shown: Vec<String> =
                    items.iter().take(10).map(|v| show(v, depth + 1)).collect();
                match items.len().saturating_sub(10) {
                    0 => {}
                    1 => shown.push("... 1 more item".into()),
                    more => shown.push(format!("... {more} more items")),
                }
                format!("[{}]", shown.join(", "))
            }
            Value::Object(fields) if fields.is_empty() => "{}".into(),
            Value::Object(_) if depth > 2 => "[Object]".into(),
            Value::Object(fields) => {
                let shown: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", show(v, depth + 1)))
                    .collect();
                format!("{{ {} }}", shown.join(", "))
            }
        }
    }
    show(value, 1)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_shown_as_graphql_js_shows_them() {
        assert_eq!(
            inspect(&json!({"email": "a", "password": "p", "x": 1})),
            r#"{ email: "a", password: "p", x: 1 }"#
        );
        assert_eq!(
            inspect(&json!({"a": {"b": {"c": 1}}, "l": [[[1]]]})),
            "{ a: { b: [Object] }, l: [[Array]] }"
        );
        assert_eq!(
            inspect(&json!((0..12).collect::<Vec<_>>())),
            "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items]"
        );
    }
}
