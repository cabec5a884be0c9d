//! The API schema: what clients see and what operations are validated
//! against. It is the supergraph minus the federation machinery (`join__*`,
//! `link__*`, every `@link`ed spec's directives) and minus everything marked
//! `@inaccessible`.

use std::collections::HashSet;

use apollo_compiler::{
    Node, Schema,
    ast::{self, Value},
    name,
    schema::{self, ExtendedType},
    validation::Valid,
};

/// Names that belong to the `@link`ed specs of a supergraph.
struct LinkedNames {
    /// `join`, `link`, `inaccessible`, ... (or their `as:` renames).
    prefixes: HashSet<String>,
    /// Directives imported under a bare name (`@key`, `@inaccessible`, ...).
    imported: HashSet<String>,
    /// The name `@inaccessible` goes by in this supergraph.
    inaccessible: String,
}

fn linked_names(schema: &Schema) -> LinkedNames {
    let mut names = LinkedNames {
        prefixes: ["link", "join"].map(String::from).into(),
        imported: HashSet::new(),
        inaccessible: "inaccessible".into(),
    };
    for link in schema.schema_definition.directives.get_all("link") {
        let Some(url) = link
            .specified_argument_by_name("url")
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        // https://specs.apollo.dev/<name>/v0.2 → <name>
        let spec = url
            .trim_end_matches('/')
            .rsplit('/')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let prefix = link
            .specified_argument_by_name("as")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| spec.clone());
        if spec == "inaccessible" {
            names.inaccessible = prefix.clone();
        }
        if let Some(Value::List(imports)) = link.specified_argument_by_name("import").map(|v| &**v)
        {
            for import in imports {
                let imported = match &**import {
                    Value::String(name) => Some(name.as_str()),
                    Value::Object(fields) => fields
                        .iter()
                        .find(|(k, _)| k == "as")
                        .or_else(|| fields.iter().find(|(k, _)| k == "name"))
                        .and_then(|(_, v)| v.as_str()),
                    _ => None,
                };
                if let Some(name) = imported {
                    let bare = name.trim_start_matches('@').to_owned();
                    if spec == "inaccessible" && name.starts_with('@') {
                        names.inaccessible = bare.clone();
                    }
                    names.imported.insert(bare);
                }
            }
        }
        names.prefixes.insert(prefix);
    }
    names
}

impl LinkedNames {
    fn is_linked(&self, name: &str) -> bool {
        self.imported.contains(name)
            || self.prefixes.contains(name)
            || name
                .split_once("__")
                .is_some_and(|(prefix, _)| self.prefixes.contains(prefix))
    }
}

/// Derives the API schema from a supergraph.
pub fn api_schema(supergraph: &Valid<Schema>) -> Result<Valid<Schema>, String> {
    let mut schema: Schema = supergraph.clone().into_inner();
    let names = linked_names(&schema);
    let inaccessible = names.inaccessible.clone();
    let hidden_types: HashSet<String> = schema
        .types
        .iter()
        .filter(|(name, ty)| names.is_linked(name) || ty.directives().has(&inaccessible))
        .map(|(name, _)| name.to_string())
        .collect();

    schema
        .directive_definitions
        .retain(|name, _| !names.is_linked(name));
    schema
        .types
        .retain(|name, _| !hidden_types.contains(name.as_str()));
    let schema_def = schema.schema_definition.make_mut();
    schema_def.directives.0.clear();
    for root in [
        &mut schema_def.query,
        &mut schema_def.mutation,
        &mut schema_def.subscription,
    ] {
        if root
            .as_ref()
            .is_some_and(|r| hidden_types.contains(r.name.as_str()))
        {
            *root = None;
        }
    }

    let keep = |directive: &str| !names.is_linked(directive);
    for ty in schema.types.values_mut() {
        strip_type(ty, &inaccessible, &hidden_types, &keep);
    }
    add_is_one_of(&mut schema);
    schema.validate().map_err(|e| e.to_string())
}

/// `__Type.isOneOf` (September 2025), which apollo-compiler 1.33's
/// introspection schema predates: declared here so that operations asking
/// for it validate; `serve::introspection` answers it.
fn add_is_one_of(schema: &mut Schema) {
    if let Some(ExtendedType::Object(ty)) = schema.types.get_mut("__Type") {
        ty.make_mut().fields.insert(
            name!("isOneOf"),
            schema::Component::new(ast::FieldDefinition {
                description: None,
                name: name!("isOneOf"),
                arguments: Vec::new(),
                ty: ast::Type::Named(name!("Boolean")),
                directives: Default::default(),
            }),
        );
    }
}

fn strip_type(
    ty: &mut ExtendedType,
    inaccessible: &str,
    hidden_types: &HashSet<String>,
    keep: &impl Fn(&str) -> bool,
) {
    let visible = |directives: &ast::DirectiveList| !directives.has(inaccessible);
    match ty {
        ExtendedType::Object(object) => {
            let object = object.make_mut();
            strip_schema_directives(&mut object.directives, keep);
            object
                .implements_interfaces
                .retain(|i| !hidden_types.contains(i.name.as_str()));
            strip_fields(&mut object.fields, inaccessible, hidden_types, keep);
        }
        ExtendedType::Interface(interface) => {
            let interface = interface.make_mut();
            strip_schema_directives(&mut interface.directives, keep);
            interface
                .implements_interfaces
                .retain(|i| !hidden_types.contains(i.name.as_str()));
            strip_fields(&mut interface.fields, inaccessible, hidden_types, keep);
        }
        ExtendedType::Union(union_) => {
            let union_ = union_.make_mut();
            strip_schema_directives(&mut union_.directives, keep);
            union_
                .members
                .retain(|m| !hidden_types.contains(m.name.as_str()));
        }
        ExtendedType::Enum(enum_) => {
            let enum_ = enum_.make_mut();
            strip_schema_directives(&mut enum_.directives, keep);
            enum_.values.retain(|_, v| visible(&v.directives));
            for value in enum_.values.values_mut() {
                value.node.make_mut().directives.0.retain(|d| keep(&d.name));
            }
        }
        ExtendedType::InputObject(input) => {
            let input = input.make_mut();
            strip_schema_directives(&mut input.directives, keep);
            input.fields.retain(|_, f| visible(&f.directives));
            for field in input.fields.values_mut() {
                strip_input_value(&mut field.node, keep);
            }
        }
        ExtendedType::Scalar(scalar) => {
            strip_schema_directives(&mut scalar.make_mut().directives, keep);
        }
    }
}

fn strip_schema_directives(directives: &mut schema::DirectiveList, keep: &impl Fn(&str) -> bool) {
    directives.0.retain(|d| keep(&d.name));
}

fn strip_fields(
    fields: &mut apollo_compiler::collections::IndexMap<
        apollo_compiler::Name,
        schema::Component<ast::FieldDefinition>,
    >,
    inaccessible: &str,
    hidden_types: &HashSet<String>,
    keep: &impl Fn(&str) -> bool,
) {
    fields.retain(|_, field| {
        !field.directives.has(inaccessible)
            && !hidden_types.contains(field.ty.inner_named_type().as_str())
    });
    for field in fields.values_mut() {
        let field = field.node.make_mut();
        field.directives.0.retain(|d| keep(&d.name));
        field.arguments.retain(|arg| {
            !arg.directives.has(inaccessible)
                && !hidden_types.contains(arg.ty.inner_named_type().as_str())
        });
        for arg in &mut field.arguments {
            strip_input_value(arg, keep);
        }
    }
}

fn strip_input_value(value: &mut Node<ast::InputValueDefinition>, keep: &impl Fn(&str) -> bool) {
    value.make_mut().directives.0.retain(|d| keep(&d.name));
}
