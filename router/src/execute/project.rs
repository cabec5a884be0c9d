//! Projection: the merged subgraph data becomes exactly the client's
//! selection (aliases, fragments, `__typename`, `@skip`/`@include`), with
//! GraphQL null propagation for non-null fields.

use std::collections::HashSet;

use apollo_compiler::{
    ExecutableDocument, Node, Schema,
    ast::{DirectiveList, Type, Value as AstValue},
    executable::{Field, Operation, Selection, SelectionSet},
    schema::ExtendedType,
    validation::Valid,
};
use serde_json::{Map, Value};

use crate::response::{GraphQLError, PathSegment};

/// A non-null field was null: its parent must become null too.
struct Bubble;

/// Projects `data` onto `operation`'s selection. Returns the `data` to send
/// (`null` when a non-null root field was null); new errors are appended.
pub fn project(
    schema: &Valid<Schema>,
    document: &Valid<ExecutableDocument>,
    operation: &Operation,
    variables: &Map<String, Value>,
    data: &Value,
    errors: &mut Vec<GraphQLError>,
) -> Value {
    let mut projector = Projector {
        schema,
        document,
        variables,
        errors,
    };
    let empty = Map::new();
    let source = data.as_object().unwrap_or(&empty);
    let root_type = operation.object_type().as_str();
    match projector.object(
        source,
        root_type,
        &[&operation.selection_set],
        &mut Vec::new(),
    ) {
        Ok(object) => Value::Object(object),
        Err(Bubble) => Value::Null,
    }
}

struct Projector<'a> {
    schema: &'a Valid<Schema>,
    document: &'a Valid<ExecutableDocument>,
    variables: &'a Map<String, Value>,
    errors: &'a mut Vec<GraphQLError>,
}

type Grouped<'d> = Vec<(&'d str, Vec<&'d Node<Field>>)>;

impl<'a> Projector<'a> {
    fn object(
        &mut self,
        source: &Map<String, Value>,
        runtime_type: &str,
        sets: &[&'a SelectionSet],
        path: &mut Vec<PathSegment>,
    ) -> Result<Map<String, Value>, Bubble> {
        let mut grouped: Grouped<'a> = Vec::new();
        let mut visited = HashSet::new();
        for set in sets {
            self.collect(runtime_type, set, &mut grouped, &mut visited);
        }
        let mut out = Map::new();
        for (key, fields) in grouped {
            let field = fields[0];
            if field.name == "__typename" {
                out.insert(key.to_owned(), Value::String(runtime_type.to_owned()));
                continue;
            }
            path.push(PathSegment::Key(key.to_owned()));
            let completed = self.complete(
                &field.definition.ty,
                source.get(key),
                &fields,
                runtime_type,
                path,
            );
            path.pop();
            out.insert(key.to_owned(), completed?);
        }
        Ok(out)
    }

    /// The spec's CollectFields: fields grouped by response key, in order.
    fn collect(
        &self,
        runtime_type: &str,
        set: &'a SelectionSet,
        out: &mut Grouped<'a>,
        visited: &mut HashSet<&'a str>,
    ) {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    if !self.included(&field.directives) {
                        continue;
                    }
                    let key = field.response_key().as_str();
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(field),
                        None => out.push((key, vec![field])),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    if !self.included(&fragment.directives) {
                        continue;
                    }
                    let applies = fragment
                        .type_condition
                        .as_ref()
                        .is_none_or(|c| self.applies(runtime_type, c));
                    if applies {
                        self.collect(runtime_type, &fragment.selection_set, out, visited);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if !self.included(&spread.directives)
                        || !visited.insert(spread.fragment_name.as_str())
                    {
                        continue;
                    }
                    if let Some(fragment) = self.document.fragments.get(&spread.fragment_name)
                        && self.applies(runtime_type, fragment.type_condition())
                    {
                        self.collect(runtime_type, &fragment.selection_set, out, visited);
                    }
                }
            }
        }
    }

    fn applies(&self, runtime_type: &str, condition: &str) -> bool {
        runtime_type == condition || self.schema.is_subtype(condition, runtime_type)
    }

    fn flag(&self, directives: &DirectiveList, name: &str) -> Option<bool> {
        let value = directives.get(name)?.specified_argument_by_name("if")?;
        match &**value {
            AstValue::Boolean(b) => Some(*b),
            AstValue::Variable(var) => self.variables.get(var.as_str()).and_then(Value::as_bool),
            _ => None,
        }
    }

    fn included(&self, directives: &DirectiveList) -> bool {
        self.flag(directives, "skip") != Some(true)
            && self.flag(directives, "include") != Some(false)
    }

    fn complete(
        &mut self,
        ty: &Type,
        value: Option<&Value>,
        fields: &[&'a Node<Field>],
        parent_type: &str,
        path: &mut Vec<PathSegment>,
    ) -> Result<Value, Bubble> {
        let completed = self
            .complete_nullable(ty, value, fields, parent_type, path)
            .unwrap_or(Value::Null);
        if completed.is_null() && ty.is_non_null() {
            self.null_error(parent_type, fields[0], path);
            return Err(Bubble);
        }
        Ok(completed)
    }

    fn complete_nullable(
        &mut self,
        ty: &Type,
        value: Option<&Value>,
        fields: &[&'a Node<Field>],
        parent_type: &str,
        path: &mut Vec<PathSegment>,
    ) -> Result<Value, Bubble> {
        let value = match value {
            None | Some(Value::Null) => return Ok(Value::Null),
            Some(value) => value,
        };
        if ty.is_list() {
            let Value::Array(items) = value else {
                self.shape_error("a list", path);
                return Ok(Value::Null);
            };
            let item_type = ty.item_type();
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(PathSegment::Index(i));
                let completed = self.complete(item_type, Some(item), fields, parent_type, path);
                path.pop();
                out.push(completed?);
            }
            return Ok(Value::Array(out));
        }
        let named = ty.inner_named_type();
        match self.schema.types.get(named) {
            Some(ExtendedType::Scalar(_)) | Some(ExtendedType::Enum(_)) | None => Ok(value.clone()),
            Some(ExtendedType::InputObject(_)) => Ok(Value::Null),
            Some(composite) => {
                let Value::Object(object) = value else {
                    self.shape_error("an object", path);
                    return Ok(Value::Null);
                };
                let runtime_type = match composite {
                    ExtendedType::Object(_) => named.as_str().to_owned(),
                    _ => match object.get("__typename").and_then(Value::as_str) {
                        Some(t) if self.schema.is_subtype(named, t) => t.to_owned(),
                        _ => {
                            self.shape_error("an object with a known __typename", path);
                            return Ok(Value::Null);
                        }
                    },
                };
                let sets: Vec<&'a SelectionSet> = fields.iter().map(|f| &f.selection_set).collect();
                self.object(object, &runtime_type, &sets, path)
                    .map(Value::Object)
            }
        }
    }

    /// Whether an error already explains a null at `path` (an error at the
    /// path, above it, or below it that bubbled up).
    /// Authorisation errors are raised before execution and name fields,
    /// not list elements: for them indexes are ignored.
    fn explained(&self, path: &[PathSegment]) -> bool {
        let keys = |p: &[PathSegment]| -> Vec<String> {
            p.iter()
                .filter_map(|s| match s {
                    PathSegment::Key(k) => Some(k.clone()),
                    PathSegment::Index(_) => None,
                })
                .collect()
        };
        let here = keys(path);
        self.errors.iter().any(|e| match &e.path {
            Some(p) if e.code() == Some("UNAUTHORIZED_FIELD_OR_TYPE") => {
                let there = keys(p);
                there.starts_with(&here) || here.starts_with(&there)
            }
            Some(p) => p.starts_with(path) || path.starts_with(p),
            None => false,
        })
    }

    fn null_error(&mut self, parent_type: &str, field: &Field, path: &[PathSegment]) {
        if self.explained(path) {
            return;
        }
        self.errors.push(
            GraphQLError::new(format!(
                "Cannot return null for non-nullable field {parent_type}.{}",
                field.name
            ))
            .with_path(path.to_vec()),
        );
    }

    fn shape_error(&mut self, expected: &str, path: &[PathSegment]) {
        self.errors.push(
            GraphQLError::new(format!(
                "A subgraph returned a value that is not {expected}"
            ))
            .with_code("SUBREQUEST_MALFORMED_RESPONSE")
            .with_path(path.to_vec()),
        );
    }
}
