//! Scenario subgraphs: a subgraph written as its federation SDL plus the
//! data it serves, executed by async-graphql's dynamic schema. One file of
//! SDL, JSON and queries per federation construct keeps each scenario
//! readable at a glance, like the public federation audits are written.
//!
//! Resolution rules, the same for every scenario:
//! - a root field answers `data["Query"][field]` (or `Mutation`);
//! - an object field answers its parent's `field` key;
//! - objects of abstract types carry their `__typename`;
//! - `_entities` finds each representation in `data[typename]` (a list)
//!   by the type's first `@key` whose fields the representation has, and
//!   answers the stored object with the representation's fields added
//!   (what `@requires` computations read), or `null` when none matches;
//! - a field (`"Type.field"`) or entity type (`"Type"`) can instead have
//!   a resolver of its own, for values computed from arguments or from
//!   required fields; an `Err` becomes a field error.

use std::{collections::HashMap, sync::Arc};

use apollo_compiler::ast::{self, Definition};
use async_graphql::{
    Name, Value as GqlValue,
    dynamic::{
        Enum, Field, FieldFuture, FieldValue, InputObject, InputValue, Interface, InterfaceField,
        Object, ResolverContext, Scalar, Schema, TypeRef, Union,
    },
};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{Router, extract::State, routing::post};
use serde_json::{Map, Value};

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

    /// Computes `coordinate` (`"Type.field"`) instead of reading it.
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
        let schema = build_schema(&self)
            .unwrap_or_else(|e| panic!("scenario subgraph {} does not build: {e}", self.name));
        let log = RequestLog::default();
        let app = Router::new()
            .route("/graphql", post(handle))
            .with_state((schema, log.clone()));
        Member::new(&self.name, self.sdl, app, log)
    }
}

async fn handle(
    State((schema, log)): State<(Schema, RequestLog)>,
    version: axum::http::Version,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let request = request.into_inner();
    log.push(Logged {
        version,
        query: request.query.clone(),
        variables: serde_json::to_value(&request.variables).unwrap_or(Value::Null),
        authorization: None,
    });
    schema.execute(request).await.into()
}

/// What kind of type a name is, for turning data into field values.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Object,
    Abstract,
}

struct Shared {
    data: Value,
    fields: HashMap<String, FieldResolver>,
    entities: HashMap<String, EntityResolver>,
    kinds: HashMap<String, Kind>,
    /// Each entity type's keys, as the top-level field names of each.
    keys: HashMap<String, Vec<Vec<String>>>,
}

fn build_schema(subgraph: &ScenarioSubgraph) -> Result<Schema, String> {
    let document = ast::Document::parse(&subgraph.sdl, "subgraph.graphql")
        .map_err(|e| e.errors.to_string())?;
    let mut kinds = HashMap::new();
    let mut keys: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for definition in &document.definitions {
        let (name, kind, directives) = match definition {
            Definition::ObjectTypeDefinition(d) => (&d.name, Kind::Object, &d.directives),
            Definition::ObjectTypeExtension(d) => (&d.name, Kind::Object, &d.directives),
            Definition::InterfaceTypeDefinition(d) => (&d.name, Kind::Abstract, &d.directives),
            Definition::InterfaceTypeExtension(d) => (&d.name, Kind::Abstract, &d.directives),
            Definition::UnionTypeDefinition(d) => (&d.name, Kind::Abstract, &d.directives),
            _ => continue,
        };
        kinds.insert(name.to_string(), kind);
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
    }
    let shared = Arc::new(Shared {
        data: subgraph.data.clone(),
        fields: subgraph.fields.clone(),
        entities: subgraph.entities.clone(),
        kinds,
        keys,
    });

    let mut objects: Vec<(String, Object)> = Vec::new();
    let mut builder_types = Vec::new();
    for definition in &document.definitions {
        match definition {
            Definition::ObjectTypeDefinition(d) => {
                objects.push(object(
                    &shared,
                    &d.name,
                    &d.implements_interfaces,
                    &d.directives,
                    &d.fields,
                ));
            }
            Definition::ObjectTypeExtension(d) => {
                objects.push(object(
                    &shared,
                    &d.name,
                    &d.implements_interfaces,
                    &d.directives,
                    &d.fields,
                ));
            }
            Definition::InterfaceTypeDefinition(d) => {
                let mut interface = Interface::new(d.name.as_str());
                for parent in &d.implements_interfaces {
                    interface = interface.implement(parent.as_str());
                }
                // No `key` here: async-graphql would put the interface in
                // `_Entity`, which only objects may join; its entities
                // resolve to their implementations anyway.
                for field in &d.fields {
                    let ty = covariant_type(&document, &d.name, field);
                    let mut f = InterfaceField::new(field.name.as_str(), type_ref(ty));
                    for argument in &field.arguments {
                        f = f.argument(input_value(argument));
                    }
                    interface = interface.field(f);
                }
                builder_types.push(async_graphql::dynamic::Type::from(interface));
            }
            Definition::UnionTypeDefinition(d) => {
                let union = d.members.iter().fold(Union::new(d.name.as_str()), |u, m| {
                    u.possible_type(m.as_str())
                });
                builder_types.push(union.into());
            }
            Definition::EnumTypeDefinition(d) => {
                let items = d.values.iter().map(|v| v.value.to_string());
                builder_types.push(Enum::new(d.name.as_str()).items(items).into());
            }
            Definition::InputObjectTypeDefinition(d) => {
                let input = d
                    .fields
                    .iter()
                    .fold(InputObject::new(d.name.as_str()), |i, f| {
                        i.field(input_value(f))
                    });
                builder_types.push(input.into());
            }
            Definition::ScalarTypeDefinition(d) => {
                builder_types.push(Scalar::new(d.name.as_str()).into());
            }
            _ => {}
        }
    }
    // async-graphql's dynamic schema takes each object once.
    let mut merged: Vec<(String, Object)> = Vec::new();
    for (name, object) in objects {
        if merged.iter().any(|(n, _)| *n == name) {
            return Err(format!("type {name} is defined twice; write it once"));
        }
        merged.push((name, object));
    }
    let has_query = merged.iter().any(|(n, _)| n == "Query");
    let has_mutation = merged.iter().any(|(n, _)| n == "Mutation");
    let mut builder =
        Schema::build("Query", has_mutation.then_some("Mutation"), None).enable_federation();
    if !has_query {
        builder = builder.register(Object::new("Query"));
    }
    for (_, object) in merged {
        builder = builder.register(object);
    }
    for ty in builder_types {
        builder = builder.register(ty);
    }
    let entities = shared.clone();
    builder
        .entity_resolver(move |ctx| {
            let shared = entities.clone();
            FieldFuture::new(async move {
                let representations = ctx.args.try_get("representations")?.list()?;
                let resolved: Vec<FieldValue> = representations
                    .iter()
                    .map(|r| {
                        let representation = to_json(r.as_value());
                        let entity = shared.resolve_entity(&representation);
                        shared.field_value(entity, None).unwrap_or(FieldValue::NULL)
                    })
                    .collect();
                Ok(Some(FieldValue::list(resolved)))
            })
        })
        .finish()
        .map_err(|e| e.to_string())
}

fn object(
    shared: &Arc<Shared>,
    name: &apollo_compiler::Name,
    implements: &[apollo_compiler::Name],
    directives: &ast::DirectiveList,
    fields: &[apollo_compiler::Node<ast::FieldDefinition>],
) -> (String, Object) {
    let mut object = Object::new(name.as_str());
    for interface in implements {
        object = object.implement(interface.as_str());
    }
    for key in directives.get_all("key") {
        let Some(fields) = key
            .specified_argument_by_name("fields")
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let resolvable = key
            .specified_argument_by_name("resolvable")
            .is_none_or(|v| !matches!(**v, ast::Value::Boolean(false)));
        object = if resolvable {
            object.key(fields)
        } else {
            object.unresolvable(fields)
        };
    }
    for field in fields {
        let coordinate = format!("{name}.{}", field.name);
        let field_name = field.name.to_string();
        let named = field.ty.inner_named_type().to_string();
        let shared = shared.clone();
        let is_root = matches!(name.as_str(), "Query" | "Mutation");
        let root = name.to_string();
        let mut f = Field::new(field.name.as_str(), type_ref(&field.ty), move |ctx| {
            let shared = shared.clone();
            let coordinate = coordinate.clone();
            let field_name = field_name.clone();
            let named = named.clone();
            let root = root.clone();
            FieldFuture::new(async move {
                let parent = if is_root {
                    shared.data.get(&root).cloned().unwrap_or(Value::Null)
                } else {
                    parent_json(&ctx)
                };
                let value = match shared.fields.get(&coordinate) {
                    Some(resolve) => {
                        let args = arguments(&ctx);
                        resolve(&parent, &args).map_err(async_graphql::Error::new)?
                    }
                    None => parent.get(&field_name).cloned().unwrap_or(Value::Null),
                };
                Ok(shared.field_value(value, Some(&named)))
            })
        });
        for argument in &field.arguments {
            f = f.argument(input_value(argument));
        }
        object = object.field(f);
    }
    (name.to_string(), object)
}

impl Shared {
    /// Turns data into what async-graphql completes: leaves as values,
    /// objects as JSON carried along (abstract ones with their type).
    fn field_value(&self, value: Value, named: Option<&str>) -> Option<FieldValue<'static>> {
        match value {
            Value::Null => None,
            Value::Array(items) => {
                Some(FieldValue::list(items.into_iter().map(|item| {
                    self.field_value(item, named).unwrap_or(FieldValue::NULL)
                })))
            }
            Value::Object(object) => {
                let typename = object
                    .get("__typename")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let kind = named.and_then(|n| self.kinds.get(n)).copied();
                let value = FieldValue::owned_any(Value::Object(object));
                match (kind, typename) {
                    (Some(Kind::Object), _) => Some(value),
                    (_, Some(typename)) => Some(value.with_type(typename)),
                    (_, None) => Some(value.with_type(named.unwrap_or_default().to_owned())),
                }
            }
            leaf => Some(FieldValue::value(to_gql(&leaf))),
        }
    }

    fn resolve_entity(&self, representation: &Value) -> Value {
        let Some(typename) = representation.get("__typename").and_then(Value::as_str) else {
            return Value::Null;
        };
        if let Some(resolve) = self.entities.get(typename) {
            return resolve(representation);
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
        match (found, representation) {
            (Some(Value::Object(found)), Value::Object(representation)) => {
                let mut entity = found.clone();
                for (field, value) in representation {
                    if field != "__typename" {
                        entity.entry(field.clone()).or_insert_with(|| value.clone());
                    }
                }
                if self.kinds.get(typename) == Some(&Kind::Object) {
                    entity
                        .entry("__typename".to_owned())
                        .or_insert_with(|| Value::String(typename.to_owned()));
                }
                Value::Object(entity)
            }
            _ => Value::Null,
        }
    }
}

fn parent_json(ctx: &ResolverContext<'_>) -> Value {
    ctx.parent_value
        .downcast_ref::<Value>()
        .cloned()
        .unwrap_or(Value::Null)
}

fn arguments(ctx: &ResolverContext<'_>) -> Map<String, Value> {
    ctx.args
        .as_index_map()
        .iter()
        .map(|(name, value)| (name.to_string(), to_json(value)))
        .collect()
}

/// The type an interface field is served with. async-graphql 7 takes an
/// implementation's narrower return type (`Book` for `Product`) as a
/// mismatch, so when every implementation here narrows the field to one
/// type, the interface field is served with that type. The SDL given to
/// composition keeps the interface's own type.
fn covariant_type<'d>(
    document: &'d ast::Document,
    interface: &apollo_compiler::Name,
    field: &'d ast::FieldDefinition,
) -> &'d ast::Type {
    let implementations: Vec<&ast::Type> = document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            Definition::ObjectTypeDefinition(d) if d.implements_interfaces.contains(interface) => d
                .fields
                .iter()
                .find(|f| f.name == field.name)
                .map(|f| &f.ty),
            _ => None,
        })
        .collect();
    match implementations.split_first() {
        Some((first, rest)) if rest.iter().all(|ty| ty == first) => first,
        _ => &field.ty,
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

fn type_ref(ty: &ast::Type) -> TypeRef {
    match ty {
        ast::Type::Named(name) => TypeRef::named(name.as_str()),
        ast::Type::NonNullNamed(name) => TypeRef::named_nn(name.as_str()),
        ast::Type::List(inner) => TypeRef::List(Box::new(type_ref(inner))),
        ast::Type::NonNullList(inner) => {
            TypeRef::NonNull(Box::new(TypeRef::List(Box::new(type_ref(inner)))))
        }
    }
}

fn input_value(definition: &ast::InputValueDefinition) -> InputValue {
    let input = InputValue::new(definition.name.as_str(), type_ref(&definition.ty));
    match &definition.default_value {
        Some(default) => input.default_value(ast_to_gql(default)),
        None => input,
    }
}

fn ast_to_gql(value: &ast::Value) -> GqlValue {
    match value {
        ast::Value::Null | ast::Value::Variable(_) => GqlValue::Null,
        ast::Value::Enum(name) => GqlValue::Enum(Name::new(name.as_str())),
        ast::Value::String(s) => GqlValue::String(s.clone()),
        ast::Value::Float(f) => f.try_to_f64().map(GqlValue::from).unwrap_or(GqlValue::Null),
        ast::Value::Int(i) => i.try_to_i32().map(GqlValue::from).unwrap_or(GqlValue::Null),
        ast::Value::Boolean(b) => GqlValue::Boolean(*b),
        ast::Value::List(items) => GqlValue::List(items.iter().map(|v| ast_to_gql(v)).collect()),
        ast::Value::Object(fields) => GqlValue::Object(
            fields
                .iter()
                .map(|(name, v)| (Name::new(name.as_str()), ast_to_gql(v)))
                .collect(),
        ),
    }
}

fn to_json(value: &GqlValue) -> Value {
    value.clone().into_json().unwrap_or(Value::Null)
}

fn to_gql(value: &Value) -> GqlValue {
    GqlValue::from_json(value.clone()).unwrap_or(GqlValue::Null)
}
