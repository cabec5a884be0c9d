//! Projection: the merged subgraph data becomes exactly the client's
//! selection (aliases, fragments, `__typename`, `@skip`/`@include`), with
//! GraphQL null propagation for non-null fields.
//!
//! The projection is written straight out as JSON text: building a second
//! `Value` tree only to serialize and drop it was most of the router's
//! CPU time per request on large responses.

use std::rc::Rc;

use apollo_compiler::{
    ExecutableDocument, Node, Schema,
    ast::Type,
    executable::{Field, Operation},
    schema::ExtendedType,
    validation::Valid,
};
use foldhash::HashMap;
use serde_json::{Map, Value as Json};

mod collect;

use super::value::{Object, Value};
use crate::{
    edge::auth::{DeniedFields, unauthorized},
    response::{GraphQLError, PathSegment},
};

/// A non-null field was null: its parent must become null too.
struct Bubble;

/// What the client asked for, as the projection reads it.
#[derive(Clone, Copy)]
pub struct ClientOperation<'a> {
    pub schema: &'a Valid<Schema>,
    pub document: &'a Valid<ExecutableDocument>,
    pub operation: &'a Operation,
    pub variables: &'a Map<String, Json>,
    pub denied: Option<&'a DeniedFields>,
}

/// Projects `data` onto `operation`'s selection and appends it to `out`
/// as JSON text (`null` when a non-null root field was null); new errors
/// are appended to `errors`. `denied` fields (not planned: the caller may not see them)
/// are `null` with an error wherever they would have held a value.
pub fn project(
    operation: &ClientOperation<'_>,
    data: &Value,
    errors: &mut Vec<GraphQLError>,
    out: &mut Vec<u8>,
) {
    let ClientOperation {
        schema,
        document,
        operation,
        variables,
        denied,
    } = *operation;
    let start = out.len();
    let mut projector = Projector {
        schema,
        document,
        variables,
        denied,
        errors,
        groups: HashMap::default(),
        out,
    };
    let empty = Object::new();
    let source = data.as_object().unwrap_or(&empty);
    let root_type = operation.object_type().as_str();
    let mut grouped = Vec::new();
    projector.collect(
        root_type,
        &operation.selection_set,
        &mut grouped,
        &mut Vec::new(),
    );
    if projector
        .object(source, root_type, &grouped, &mut Vec::new())
        .is_err()
    {
        projector.out.truncate(start);
        projector.out.extend_from_slice(b"null");
    }
}

/// One step of the path being projected, borrowed from the document (an
/// owned [`PathSegment`] is only built for an error).
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn owned_path(path: &[Step<'_>]) -> Vec<PathSegment> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => PathSegment::Key((*key).to_owned()),
            Step::Index(i) => PathSegment::Index(*i),
        })
        .collect()
}

/// The fields of one object with one response key, and the definition of
/// the type they return (looked up once per grouping, not per value).
struct Grouped<'a> {
    key: &'a str,
    fields: Vec<&'a Node<Field>>,
    returns: Option<&'a ExtendedType>,
}

/// Where a grouping came from: the address and length of the field list
/// (each one lives in an earlier grouping, kept until the projection ends,
/// so no two lists share an address) and the runtime type. Every object of
/// a list shares one grouping.
type GroupKey<'a> = (usize, usize, &'a str);

struct Projector<'a> {
    schema: &'a Valid<Schema>,
    document: &'a Valid<ExecutableDocument>,
    variables: &'a Map<String, Json>,
    denied: Option<&'a DeniedFields>,
    errors: &'a mut Vec<GraphQLError>,
    /// Groupings already collected; entries are never dropped before the
    /// projector, so the field lists they hold keep their addresses.
    groups: HashMap<GroupKey<'a>, Rc<Vec<Grouped<'a>>>>,
    out: &'a mut Vec<u8>,
}

impl<'a> Projector<'a> {
    fn object(
        &mut self,
        source: &'a Object,
        runtime_type: &'a str,
        grouped: &[Grouped<'a>],
        path: &mut Vec<Step<'a>>,
    ) -> Result<(), Bubble> {
        self.out.push(b'{');
        for (i, group) in grouped.iter().enumerate() {
            let (key, fields) = (group.key, &group.fields[..]);
            if i > 0 {
                self.out.push(b',');
            }
            self.write_name(key);
            self.out.push(b':');
            let field = fields[0];
            if field.name == "__typename" {
                self.write_name(runtime_type);
                continue;
            }
            path.push(Step::Key(key));
            if self
                .denied
                .is_some_and(|denied| fields.iter().any(|f| denied.contains(f)))
            {
                self.errors.push(unauthorized(owned_path(path)));
                path.pop();
                if field.definition.ty.is_non_null() {
                    return Err(Bubble);
                }
                self.out.extend_from_slice(b"null");
                continue;
            }
            let completed = self.complete(
                &field.definition.ty,
                source.get(key),
                group,
                runtime_type,
                path,
            );
            path.pop();
            completed?;
        }
        self.out.push(b'}');
        Ok(())
    }

    /// Writes a GraphQL name (response key or type name) as a JSON string.
    /// Names are `[_A-Za-z][_0-9A-Za-z]*`, so nothing needs escaping.
    fn write_name(&mut self, name: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'"');
    }

    /// Writes the completed value, or `null`; a null for a non-null type
    /// bubbles up instead (and what was written of it is taken back).
    fn complete(
        &mut self,
        ty: &'a Type,
        value: Option<&'a Value>,
        group: &Grouped<'a>,
        parent_type: &str,
        path: &mut Vec<Step<'a>>,
    ) -> Result<(), Bubble> {
        let start = self.out.len();
        let written = self
            .complete_nullable(ty, value, group, parent_type, path)
            .unwrap_or(false);
        if written {
            return Ok(());
        }
        self.out.truncate(start);
        if ty.is_non_null() {
            self.null_error(parent_type, group.fields[0], path);
            return Err(Bubble);
        }
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    /// Writes a non-null completed value and returns `true`; returns
    /// `false` when the value completes to `null`.
    fn complete_nullable(
        &mut self,
        ty: &'a Type,
        value: Option<&'a Value>,
        group: &Grouped<'a>,
        parent_type: &str,
        path: &mut Vec<Step<'a>>,
    ) -> Result<bool, Bubble> {
        let value = match value {
            None | Some(Value::Null) => return Ok(false),
            Some(value) => value,
        };
        if ty.is_list() {
            let Value::Array(items) = value else {
                self.shape_error("a list", path);
                return Ok(false);
            };
            let item_type = ty.item_type();
            self.out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.out.push(b',');
                }
                path.push(Step::Index(i));
                let completed = self.complete(item_type, Some(item), group, parent_type, path);
                path.pop();
                completed?;
            }
            self.out.push(b']');
            return Ok(true);
        }
        let named = ty.inner_named_type();
        let fields = &group.fields[..];
        match group.returns {
            Some(ExtendedType::Enum(enum_type)) => {
                // The API schema's values only: an `@inaccessible` value a
                // subgraph returns must not reach the client (nor its name
                // the error message).
                let known = value
                    .as_str()
                    .is_some_and(|v| enum_type.values.contains_key(v));
                if !known {
                    self.shape_error(&format!("a valid {named} value"), path);
                    return Ok(false);
                }
                value.write(self.out);
                Ok(true)
            }
            Some(ExtendedType::Scalar(_)) | None => {
                if !is_valid_scalar(named, value) {
                    self.shape_error(&format!("a valid {named}"), path);
                    return Ok(false);
                }
                value.write(self.out);
                Ok(true)
            }
            Some(ExtendedType::InputObject(_)) => Ok(false),
            Some(composite) => {
                let Value::Object(object) = value else {
                    self.shape_error("an object", path);
                    return Ok(false);
                };
                let runtime_type = match composite {
                    ExtendedType::Object(_) => named.as_str(),
                    _ => match object.typename() {
                        Some(t) if self.schema.is_subtype(named, t) => t,
                        // The planner asks for `__typename` wherever the
                        // selection depends on the concrete type. Without
                        // it, or with the abstract type's own name (what an
                        // `@interfaceObject` subgraph answers), the fields
                        // are the abstract type's own, unless the selection
                        // needs the concrete type that no subgraph gave
                        // (the entity was not found where it lives).
                        None => named.as_str(),
                        Some(t) if t == named.as_str() => {
                            if fields
                                .iter()
                                .any(|f| self.needs_concrete(&f.selection_set, named))
                            {
                                self.errors.push(
                                    GraphQLError::new(format!(
                                        "The concrete type of this {named} could not be \
                                         determined: no subgraph resolved the entity"
                                    ))
                                    .with_code("UNRESOLVED_ABSTRACT_TYPE")
                                    .with_path(owned_path(path)),
                                );
                                return Ok(false);
                            }
                            t
                        }
                        Some(_) => {
                            self.shape_error("an object with a known __typename", path);
                            return Ok(false);
                        }
                    },
                };
                let grouped = self.group(fields, runtime_type);
                self.object(object, runtime_type, &grouped, path)?;
                Ok(true)
            }
        }
    }

    /// Whether an error already explains a null at `path` (an error at the
    /// path, above it, or below it that bubbled up).
    fn explained(&self, path: &[PathSegment]) -> bool {
        self.errors.iter().any(|e| {
            e.path
                .as_ref()
                .is_some_and(|p| p.starts_with(path) || path.starts_with(p))
        })
    }

    fn null_error(&mut self, parent_type: &str, field: &Field, path: &[Step<'_>]) {
        let path = owned_path(path);
        if self.explained(&path) {
            return;
        }
        self.errors.push(
            GraphQLError::new(format!(
                "Cannot return null for non-nullable field {parent_type}.{}",
                field.name
            ))
            .with_path(path),
        );
    }

    fn shape_error(&mut self, expected: &str, path: &[Step<'_>]) {
        self.errors.push(
            GraphQLError::new(format!(
                "A subgraph returned a value that is not {expected}"
            ))
            .with_code("SUBREQUEST_MALFORMED_RESPONSE")
            .with_path(owned_path(path)),
        );
    }
}

/// Whether `value` is a result of the built-in scalar `name` (custom
/// scalars take any JSON value).
fn is_valid_scalar(name: &str, value: &Value) -> bool {
    match name {
        "Int" => value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        "Float" => value.is_number(),
        "String" => value.is_string(),
        "Boolean" => value.is_boolean(),
        "ID" => value.is_string() || value.is_integer(),
        _ => true,
    }
}
