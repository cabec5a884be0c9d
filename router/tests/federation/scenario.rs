//! Scenario subgraphs: a subgraph written as its federation SDL plus the
//! data it serves, executed by apollo-compiler's spec executor
//! (`apollo_compiler::resolvers`): validation, coercion, null propagation
//! and error paths are the GraphQL specification's, not ours. One file of
//! SDL, data and queries per federation construct keeps each scenario
//! readable at a glance, the way public federation audits are written.
//!
//! Resolution rules, the same for every scenario:
//! - a root field answers `data["Query"][field]` (or `Mutation`);
//! - an object field answers its parent's `field` key;
//! - objects of abstract types carry their `__typename`;
//! - `_entities` finds each representation in `data[typename]` (a list)
//!   by the type's first `@key` whose fields the representation has, and
//!   answers the stored object with the representation's fields added
//!   (what `@requires` computations read), or `null` when none matches;
//! - a field (`"Type.field"`) or an entity type (`"Type"`) can instead
//!   have a resolver of its own, for values computed from arguments, from
//!   required fields or from state; an `Err` becomes a field error.

use std::{collections::HashMap, sync::Arc};

use apollo_compiler::{
    ExecutableDocument, Schema,
    ast::{self, Definition},
    request::coerce_variable_values,
    resolvers::{Execution, FieldError, ObjectValue, ResolveInfo, ResolvedValue},
    response::JsonMap,
    validation::Valid,
};
use axum::{Json, Router, extract::State, routing::post};
use serde_json::{Map, Value, json};

use crate::helpers::{Logged, Member, RequestLog};

/// Computes a field from its parent object and its arguments.
pub type FieldResolver =
    Arc<dyn Fn(&Value, &Map<String, Value>) -> Result<Value, String> + Send + Sync>;

/// Resolves one representation to an entity (`Value::Null`: not found).
pub type EntityResolver = Arc<dyn Fn(&Value) -> Value + Send + Sync>;

pub struct ScenarioSubgraph {
    name: String,
    sdl: String,
    data: Value,
    fields: HashMap<String, FieldResolver>,
    entities: HashMap<String, EntityResolver>,
}

impl ScenarioSubgraph {
    pub fn new(name: &str, sdl: &str, data: Value) -> Self {
        Self {
            name: name.to_owned(),
            sdl: sdl.to_owned(),
            data,
            fields: HashMap::new(),
            entities: HashMap::new(),
        }
    }

    /// Computes `coordinate` (`"Type.field"`, the concrete type) instead
    /// of reading it.
    pub fn field(
        mut self,
        coordinate: &str,
        resolve: impl Fn(&Value, &Map<String, Value>) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        self.fields.insert(coordinate.to_owned(), Arc::new(resolve));
        self
    }

    /// Resolves representations of `typename` with `resolve`.
    pub fn entity(
        mut self,
        typename: &str,
        resolve: impl Fn(&Value) -> Value + Send + Sync + 'static,
    ) -> Self {
        self.entities.insert(typename.to_owned(), Arc::new(resolve));
        self
    }

    /// The subgraph as a scenario member, ready to be served.
    pub fn into_member(self) -> Member {
        let served = Served::new(&self)
            .unwrap_or_else(|e| panic!("scenario subgraph {} is not valid: {e}", self.name));
        let log = RequestLog::default();
        let app = Router::new()
            .route("/graphql", post(handle))
            .with_state((Arc::new(served), log.clone()));
        Member::new(&self.name, self.sdl, app, log)
    }
}

/// The executable form of a scenario subgraph.
struct Served {
    schema: Valid<Schema>,
    data: Value,
    fields: HashMap<String, FieldResolver>,
    entities: HashMap<String, EntityResolver>,
    /// Each entity type's keys, as the top-level field names of each.
    keys: HashMap<String, Vec<Vec<String>>>,
}

/// What a subgraph SDL leaves to the federation library: the directive
/// definitions it imports and the `_entities`/`_service` entry points.
const FEDERATION_DEFINITIONS: &str = r#"
    directive @link(url: String!, as: String, import: [link__Import], for: link__Purpose) repeatable on SCHEMA
    scalar link__Import
    enum link__Purpose { SECURITY EXECUTION }
    scalar FieldSet
    scalar Scope
    scalar Policy
    directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
    directive @requires(fields: FieldSet!) on FIELD_DEFINITION
    directive @provides(fields: FieldSet!) on FIELD_DEFINITION
    directive @external(reason: String) on OBJECT | FIELD_DEFINITION
    directive @shareable repeatable on OBJECT | FIELD_DEFINITION
    directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
    directive @override(from: String!, label: String) on FIELD_DEFINITION
    directive @interfaceObject on OBJECT
    directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
    directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    directive @requiresScopes(scopes: [[Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    directive @policy(policies: [[Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    scalar _Any
    type _Service { sdl: String }
"#;

impl Served {
    fn new(subgraph: &ScenarioSubgraph) -> Result<Self, String> {
        let document = ast::Document::parse(&subgraph.sdl, "subgraph.graphql")
            .map_err(|e| e.errors.to_string())?;
        let mut keys: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        let mut entity_objects = Vec::new();
        let mut has_query = false;
        for definition in &document.definitions {
            let (name, directives, is_object) = match definition {
                Definition::ObjectTypeDefinition(d) => (&d.name, &d.directives, true),
                Definition::InterfaceTypeDefinition(d) => (&d.name, &d.directives, false),
                _ => continue,
            };
            has_query |= name == "Query";
            for key in directives.get_all("key") {
                if let Some(fields) = key
                    .specified_argument_by_name("fields")
                    .and_then(|v| v.as_str())
                {
                    keys.entry(name.to_string())
                        .or_default()
                        .push(top_level_fields(fields));
                }
            }
            if is_object && keys.contains_key(name.as_str()) {
                entity_objects.push(name.to_string());
            }
        }
        let mut sdl = format!("{}\n{FEDERATION_DEFINITIONS}\n", subgraph.sdl);
        sdl.push_str(if has_query {
            "extend type Query {"
        } else {
            "type Query {"
        });
        if !entity_objects.is_empty() {
            sdl.push_str(" _entities(representations: [_Any!]!): [_Entity]!");
            sdl = format!("union _Entity = {}\n{sdl}", entity_objects.join(" | "));
        }
        sdl.push_str(" _service: _Service! }\n");
        let schema = Schema::parse_and_validate(sdl, "subgraph.graphql")
            .map_err(|e| e.errors.to_string())?;
        Ok(Self {
            schema,
            data: subgraph.data.clone(),
            fields: subgraph.fields.clone(),
            entities: subgraph.entities.clone(),
            keys,
        })
    }

    /// Executes one GraphQL-over-HTTP request body.
    fn execute(&self, body: &Value) -> Value {
        let query = body["query"].as_str().unwrap_or_default();
        let document =
            match ExecutableDocument::parse_and_validate(&self.schema, query, "query.graphql") {
                Ok(document) => document,
                Err(e) => return json!({"errors": [{"message": e.errors.to_string()}]}),
            };
        let operation = match document.operations.get(body["operationName"].as_str()) {
            Ok(operation) => operation,
            Err(e) => return json!({"errors": [{"message": e.message().to_string()}]}),
        };
        let raw: JsonMap = serde_json::from_value(body["variables"].clone()).unwrap_or_default();
        let variables = match coerce_variable_values(&self.schema, operation, &raw) {
            Ok(variables) => variables,
            Err(e) => return json!({"errors": [{"message": e.message().to_string()}]}),
        };
        let root = Data {
            served: self,
            typename: operation.object_type().to_string(),
            value: self
                .data
                .get(operation.object_type().as_str())
                .cloned()
                .unwrap_or(Value::Object(Map::new())),
        };
        let response = Execution::new(&self.schema, &document)
            .operation(operation)
            .coerced_variable_values(&variables)
            .execute_sync(&root);
        match response {
            Ok(response) => serde_json::to_value(&response).unwrap_or(Value::Null),
            Err(e) => json!({"errors": [{"message": e.message().to_string()}]}),
        }
    }

    fn resolve_entity(&self, representation: &Value) -> Value {
        let Some(typename) = representation.get("__typename").and_then(Value::as_str) else {
            return Value::Null;
        };
        if let Some(resolve) = self.entities.get(typename) {
            let mut entity = resolve(representation);
            if let Value::Object(fields) = &mut entity {
                fields
                    .entry("__typename")
                    .or_insert_with(|| Value::String(typename.to_owned()));
            }
            return entity;
        }
        let Some(stored) = self.data.get(typename).and_then(Value::as_array) else {
            return Value::Null;
        };
        let keys = self
            .keys
            .get(typename)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(key) = keys
            .iter()
            .find(|key| key.iter().all(|f| representation.get(f).is_some()))
        else {
            return Value::Null;
        };
        let found = stored
            .iter()
            .find(|object| key.iter().all(|f| object.get(f) == representation.get(f)));
        let (Some(Value::Object(found)), Value::Object(representation)) = (found, representation)
        else {
            return Value::Null;
        };
        let mut entity = found.clone();
        for (field, value) in representation {
            entity.entry(field.clone()).or_insert_with(|| value.clone());
        }
        // The stored object names its concrete type when the
        // representation names an interface.
        if let Some(concrete) = found.get("__typename") {
            entity.insert("__typename".into(), concrete.clone());
        }
        Value::Object(entity)
    }
}

async fn handle(
    State((served, log)): State<(Arc<Served>, RequestLog)>,
    version: axum::http::Version,
    Json(body): Json<Value>,
) -> Json<Value> {
    log.push(Logged {
        version,
        query: body["query"].as_str().unwrap_or_default().to_owned(),
        variables: body.get("variables").cloned().unwrap_or(Value::Null),
        authorization: None,
    });
    Json(served.execute(&body))
}

/// An object of the response being built: JSON data and its type.
struct Data<'s> {
    served: &'s Served,
    typename: String,
    value: Value,
}

impl ObjectValue for Data<'_> {
    fn type_name(&self) -> &str {
        &self.typename
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let name = info.field_name();
        let arguments: Map<String, Value> = serde_json::to_value(info.arguments())
            .ok()
            .and_then(|v| match v {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .unwrap_or_default();
        if name == "_entities" {
            let entities = arguments["representations"]
                .as_array()
                .map(|all| all.iter().map(|r| self.served.resolve_entity(r)).collect())
                .unwrap_or_default();
            return Ok(self.resolved(Value::Array(entities), "_Entity"));
        }
        let value = match self.served.fields.get(&format!("{}.{name}", self.typename)) {
            Some(resolve) => {
                resolve(&self.value, &arguments).map_err(|message| FieldError { message })?
            }
            None => self.value.get(name).cloned().unwrap_or(Value::Null),
        };
        let named = info.field_definition().ty.inner_named_type().as_str();
        Ok(self.resolved(value, named))
    }
}

impl<'s> Data<'s> {
    /// Data of GraphQL type `named`: objects carry their `__typename`
    /// when `named` is abstract.
    fn resolved<'a>(&'a self, value: Value, named: &str) -> ResolvedValue<'a> {
        match value {
            Value::Array(items) => {
                let named = named.to_owned();
                ResolvedValue::List(Box::new(
                    items
                        .into_iter()
                        .map(move |item| Ok(self.resolved(item, &named))),
                ))
            }
            Value::Object(object) => {
                let typename = object
                    .get("__typename")
                    .and_then(Value::as_str)
                    .filter(|_| self.served.schema.get_object(named).is_none())
                    .unwrap_or(named)
                    .to_owned();
                ResolvedValue::Object(Box::new(Data {
                    served: self.served,
                    typename,
                    value: Value::Object(object),
                }))
            }
            leaf => ResolvedValue::Leaf(serde_json::from_value(leaf).unwrap_or_default()),
        }
    }
}

/// `"id organization { id }"` → `["id", "organization"]`.
fn top_level_fields(fields: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for token in fields
        .replace('{', " { ")
        .replace('}', " } ")
        .split_whitespace()
    {
        match token {
            "{" => depth += 1,
            "}" => depth = depth.saturating_sub(1),
            name if depth == 0 => out.push(name.to_owned()),
            _ => {}
        }
    }
    out
}
