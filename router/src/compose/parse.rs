//! Subgraph SDL → [`Subgraph`] model.
//!
//! Federation directives are recognised through the subgraph's `@link` imports (see
//! [`Links`]); federation-internal types and fields (`_Service`, `_Entity`, `_Any`,
//! `_service`, `_entities`, `link__*`, `federation__*`) are dropped, and root types are
//! renamed to `Query`/`Mutation`/`Subscription` as the supergraph names them.

mod directives;
mod fields;

mod checks;

use checks::{
    check_implementations, check_type_references, drop_fake_externals, root_renames, upgrade_fed1,
};

use std::collections::{HashMap, HashSet};

use apollo_compiler::Node;
use apollo_compiler::ast::{self, DirectiveLocation};
use indexmap::IndexMap;

use super::error::{CompositionError, ErrorCode};
use super::link::{Fed, Links};
use super::model::{EnumValueDef, ExecutableDirective, Kind, Meta, Subgraph, TypeDef};

const BUILT_IN_DIRECTIVES: [&str; 7] = [
    "include",
    "skip",
    "deprecated",
    "specifiedBy",
    "oneOf",
    "defer",
    "stream",
];
const INTERNAL_TYPES: [&str; 9] = [
    "_Service",
    "_Entity",
    "_Any",
    "_FieldSet",
    "FieldSet",
    "link__Import",
    "link__Purpose",
    "requiresScopes__Scope",
    "policy__Policy",
];
const INTERNAL_PREFIXES: [&str; 3] = ["federation__", "link__", "join__"];

fn is_internal_type(name: &str) -> bool {
    INTERNAL_TYPES.contains(&name) || INTERNAL_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Parses one subgraph's SDL: the model and its validation errors, or, when it cannot
/// be read at all, the errors alone.
pub(crate) fn parse_subgraph(
    name: &str,
    url: &str,
    graph: String,
    sdl: &str,
) -> Result<(Subgraph, Vec<CompositionError>), Vec<CompositionError>> {
    let document = ast::Document::parse(sdl, format!("{name}.graphql")).map_err(|e| {
        vec![
            CompositionError::new(
                ErrorCode::InvalidGraphql,
                format!("invalid SDL: {}", e.errors),
            )
            .subgraph(name),
        ]
    })?;
    let links = Links::from_document(&document).map_err(|message| {
        vec![CompositionError::new(ErrorCode::InvalidDirectiveArgument, message).subgraph(name)]
    })?;
    let composed = super::composed::find(name, &document, &links)?;
    let mut parser = Parser {
        subgraph: name,
        composed: composed
            .iter()
            .map(|c| (c.definition.name.to_string(), c.definition.repeatable))
            .collect(),
        links,
        renames: root_renames(&document).map_err(|message| {
            vec![CompositionError::new(ErrorCode::InvalidGraphql, message).subgraph(name)]
        })?,
        types: IndexMap::new(),
        directives: Vec::new(),
        errors: Vec::new(),
        definitions: HashSet::new(),
        extends: HashSet::new(),
    };
    for definition in &document.definitions {
        parser.definition(definition);
    }
    let fed1 = !parser.links.fed2;
    let mut types = std::mem::take(&mut parser.types);
    for ty in types.values_mut() {
        let defined = parser.definitions.contains(&ty.name);
        let extends = parser.extends.contains(&ty.name);
        // Federation 1 subgraphs extended types they did not own; Apollo's upgrade
        // turns those into plain definitions.
        ty.extension = !fed1 && (extends || !defined);
        if fed1 {
            upgrade_fed1(ty);
        } else if ty.extension {
            drop_fake_externals(ty);
        }
    }
    // Every federation subgraph has a query root, if only for `_service`/`_entities`,
    // and the supergraph joins `Query` to all of them.
    if !types.contains_key("Query") {
        types.insert("Query".to_owned(), TypeDef::new("Query", Kind::Object));
    }
    check_type_references(name, &types, &mut parser.errors);
    check_implementations(name, &types, &mut parser.errors);
    checks::check_default_values(name, &types, &mut parser.errors);
    // Validation errors come back with the model, so that the subgraph's keys and
    // field sets are still checked and reported together, as Apollo reports them.
    let model = Subgraph {
        name: name.to_owned(),
        url: url.to_owned(),
        graph,
        fed1,
        types,
        directives: parser.directives,
        composed,
    };
    Ok((model, parser.errors))
}

struct Parser<'a> {
    subgraph: &'a str,
    /// Composed directive name → whether it is repeatable.
    composed: HashMap<String, bool>,
    links: Links,
    renames: HashMap<String, String>,
    types: IndexMap<String, TypeDef>,
    directives: Vec<ExecutableDirective>,
    errors: Vec<CompositionError>,
    /// Types with a non-extension definition.
    definitions: HashSet<String>,
    /// Types carrying `@extends`.
    extends: HashSet<String>,
}

/// One `type`/`extend type` (etc.) block, whichever kind it is.
struct Block<'d> {
    name: &'d str,
    kind: Kind,
    extension: bool,
    description: Option<&'d str>,
    directives: &'d ast::DirectiveList,
    implements: &'d [apollo_compiler::Name],
    fields: &'d [Node<ast::FieldDefinition>],
    members: &'d [ast::NamedType],
    values: &'d [Node<ast::EnumValueDefinition>],
    input_fields: &'d [Node<ast::InputValueDefinition>],
}

impl<'d> Block<'d> {
    fn new(name: &'d str, kind: Kind, extension: bool, directives: &'d ast::DirectiveList) -> Self {
        Block {
            name,
            kind,
            extension,
            description: None,
            directives,
            implements: &[],
            fields: &[],
            members: &[],
            values: &[],
            input_fields: &[],
        }
    }
}

impl Parser<'_> {
    fn error(&mut self, code: ErrorCode, type_name: &str, field: Option<&str>, message: String) {
        let error = CompositionError::new(code, message).subgraph(self.subgraph);
        self.errors.push(match field {
            Some(field) => error.on_field(type_name, field),
            None => error.on_type(type_name),
        });
    }

    fn definition(&mut self, definition: &ast::Definition) {
        use ast::Definition as D;
        let block = match definition {
            D::DirectiveDefinition(def) => return self.directive_definition(def),
            D::ObjectTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                implements: &d.implements_interfaces,
                fields: &d.fields,
                ..Block::new(&d.name, Kind::Object, false, &d.directives)
            },
            D::ObjectTypeExtension(d) => Block {
                implements: &d.implements_interfaces,
                fields: &d.fields,
                ..Block::new(&d.name, Kind::Object, true, &d.directives)
            },
            D::InterfaceTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                implements: &d.implements_interfaces,
                fields: &d.fields,
                ..Block::new(&d.name, Kind::Interface, false, &d.directives)
            },
            D::InterfaceTypeExtension(d) => Block {
                implements: &d.implements_interfaces,
                fields: &d.fields,
                ..Block::new(&d.name, Kind::Interface, true, &d.directives)
            },
            D::UnionTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                members: &d.members,
                ..Block::new(&d.name, Kind::Union, false, &d.directives)
            },
            D::UnionTypeExtension(d) => Block {
                members: &d.members,
                ..Block::new(&d.name, Kind::Union, true, &d.directives)
            },
            D::EnumTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                values: &d.values,
                ..Block::new(&d.name, Kind::Enum, false, &d.directives)
            },
            D::EnumTypeExtension(d) => Block {
                values: &d.values,
                ..Block::new(&d.name, Kind::Enum, true, &d.directives)
            },
            D::InputObjectTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                input_fields: &d.fields,
                ..Block::new(&d.name, Kind::InputObject, false, &d.directives)
            },
            D::InputObjectTypeExtension(d) => Block {
                input_fields: &d.fields,
                ..Block::new(&d.name, Kind::InputObject, true, &d.directives)
            },
            D::ScalarTypeDefinition(d) => Block {
                description: d.description.as_deref(),
                ..Block::new(&d.name, Kind::Scalar, false, &d.directives)
            },
            D::ScalarTypeExtension(d) => Block::new(&d.name, Kind::Scalar, true, &d.directives),
            D::SchemaDefinition(_)
            | D::SchemaExtension(_)
            | D::OperationDefinition(_)
            | D::FragmentDefinition(_) => {
                return;
            }
        };
        self.block(block);
    }

    fn directive_definition(&mut self, def: &ast::DirectiveDefinition) {
        let name = def.name.as_str();
        if BUILT_IN_DIRECTIVES.contains(&name)
            || self.composed.contains_key(name)
            || self.links.resolve(name).is_some()
            || INTERNAL_PREFIXES.iter().any(|p| name.starts_with(p))
        {
            return;
        }
        // Type-system directives are subgraph-local unless composed with
        // @composeDirective (not supported); executable ones reach clients.
        let locations: Vec<DirectiveLocation> = def
            .locations
            .iter()
            .copied()
            .filter(|l| is_executable(*l))
            .collect();
        if locations.is_empty() {
            return;
        }
        let mut definition = def.clone();
        definition.locations = locations;
        self.directives.push(ExecutableDirective { definition });
    }

    fn rename(&self, name: &str) -> String {
        self.renames
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    fn rename_type(&self, ty: &ast::Type) -> ast::Type {
        match ty {
            ast::Type::Named(n) => ast::Type::Named(self.renamed_name(n)),
            ast::Type::NonNullNamed(n) => ast::Type::NonNullNamed(self.renamed_name(n)),
            ast::Type::List(inner) => ast::Type::List(Box::new(self.rename_type(inner))),
            ast::Type::NonNullList(inner) => {
                ast::Type::NonNullList(Box::new(self.rename_type(inner)))
            }
        }
    }

    fn renamed_name(&self, name: &apollo_compiler::Name) -> apollo_compiler::Name {
        match self.renames.get(name.as_str()) {
            Some(renamed) => apollo_compiler::Name::new_unchecked(renamed),
            None => name.clone(),
        }
    }

    fn block(&mut self, block: Block<'_>) {
        if is_internal_type(block.name) || self.links.imported_types.contains(block.name) {
            return;
        }
        let name = self.rename(block.name);
        if !block.extension {
            self.definitions.insert(name.clone());
        }
        let existing_kind = self.types.get(&name).map(|t| t.kind);
        if let Some(kind) = existing_kind
            && kind != block.kind
        {
            let message = format!(
                "\"{name}\" is declared both as {} and as {}",
                kind.describe(),
                block.kind.describe()
            );
            return self.error(ErrorCode::TypeKindMismatch, &name, None, message);
        }
        let mut ty = self
            .types
            .shift_remove(&name)
            .unwrap_or_else(|| TypeDef::new(&name, block.kind));
        if let Some(description) = block.description {
            ty.description = Some(description.to_owned());
        }
        let mut block_shareable = false;
        let mut block_external = false;
        for directive in block.directives.iter() {
            match self.links.resolve(&directive.name) {
                Some(Fed::Key) => {
                    if let Some(key) = self.key(&name, directive) {
                        ty.keys.push(key);
                    }
                }
                Some(Fed::Shareable) => block_shareable = true,
                Some(Fed::External) => block_external = true,
                Some(Fed::Extends) => {
                    self.extends.insert(name.clone());
                }
                Some(Fed::InterfaceObject) => ty.interface_object = true,
                Some(fed) => self.meta(&mut ty.meta, fed, directive, &name, None),
                None => self.builtin_meta(&mut ty.meta, directive),
            }
        }
        for interface in block.implements {
            if !ty.implements.iter().any(|i| i == interface.as_str()) {
                ty.implements.push(interface.to_string());
            }
        }
        for field in block.fields {
            let is_federation_root_field =
                name == "Query" && matches!(field.name.as_str(), "_service" | "_entities");
            if field.name.starts_with("__") || is_federation_root_field {
                continue;
            }
            let mut def = self.field(&name, field);
            def.shareable |= block_shareable;
            def.external |= block_external;
            if ty.fields.contains_key(&def.name) {
                let message = format!("Field \"{name}.{}\" can only be defined once.", def.name);
                self.error(ErrorCode::InvalidGraphql, &name, Some(&def.name), message);
            }
            ty.fields.insert(def.name.clone(), def);
        }
        for member in block.members {
            let member = self.rename(member);
            if !ty.members.contains(&member) {
                ty.members.push(member);
            }
        }
        for value in block.values {
            let mut meta = Meta::default();
            self.directives_meta(&mut meta, &value.directives, &name, Some(&value.value));
            let def = EnumValueDef {
                name: value.value.to_string(),
                description: value.description.as_deref().map(str::to_owned),
                meta,
            };
            ty.values.insert(def.name.clone(), def);
        }
        for input in block.input_fields {
            let def = self.input_value(&name, input);
            ty.input_fields.insert(def.name.clone(), def);
        }
        self.types.insert(name, ty);
    }
}

fn is_executable(location: DirectiveLocation) -> bool {
    use DirectiveLocation as L;
    matches!(
        location,
        L::Query
            | L::Mutation
            | L::Subscription
            | L::Field
            | L::FragmentDefinition
            | L::FragmentSpread
            | L::InlineFragment
            | L::VariableDefinition
    )
}
