//! The per-subgraph model that parsing produces: federation directives already resolved
//! through the subgraph's @link imports, federation-internal definitions removed and root
//! types renamed to `Query`/`Mutation`/`Subscription`.

use apollo_compiler::ast;
use indexmap::IndexMap;

use super::fieldset::FieldSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
    Scalar,
}

impl Kind {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Object => "object type",
            Kind::Interface => "interface type",
            Kind::Union => "union type",
            Kind::Enum => "enum type",
            Kind::InputObject => "input object type",
            Kind::Scalar => "scalar type",
        }
    }
}

/// Directives that composition carries into the supergraph unchanged in meaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Meta {
    pub inaccessible: bool,
    pub tags: Vec<String>,
    pub authenticated: bool,
    /// `@requiresScopes(scopes:)`, a disjunction of conjunctions.
    pub scopes: Option<Vec<Vec<String>>>,
    /// `@policy(policies:)`, a disjunction of conjunctions.
    pub policies: Option<Vec<Vec<String>>>,
    /// `@deprecated`, with its reason when one was given.
    pub deprecated: Option<Option<String>>,
    pub specified_by: Option<String>,
    pub one_of: bool,
    /// Applications of directives composed with `@composeDirective`.
    pub custom: Vec<CustomDirective>,
    /// The names of the directives above in the order first applied (Apollo prints them
    /// in that order); `@inaccessible` always comes first and is not listed.
    pub order: Vec<String>,
}

impl Meta {
    pub(crate) fn applied(&mut self, name: &str) {
        if !self.order.iter().any(|n| n == name) {
            self.order.push(name.to_owned());
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CustomDirective {
    pub directive: ast::Directive,
    pub repeatable: bool,
}

/// A directive a subgraph keeps in the supergraph with `@composeDirective`.
#[derive(Debug, Clone)]
pub(crate) struct ComposedDirective {
    /// The spec it comes from, without version, and the version the subgraph links.
    pub identity: String,
    pub version: (u32, u32),
    pub definition: ast::DirectiveDefinition,
}

/// The optional specs (`@tag`, `@inaccessible`, authorization) a supergraph may link,
/// in Apollo's canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Security {
    Tag,
    Inaccessible,
    Authenticated,
    Scopes,
    Policy,
}

impl Meta {
    pub(crate) fn security(&self) -> impl Iterator<Item = Security> {
        [
            (!self.tags.is_empty(), Security::Tag),
            (self.inaccessible, Security::Inaccessible),
            (self.authenticated, Security::Authenticated),
            (self.scopes.is_some(), Security::Scopes),
            (self.policies.is_some(), Security::Policy),
        ]
        .into_iter()
        .filter_map(|(used, feature)| used.then_some(feature))
    }
}

impl TypeDef {
    /// Every directive set in the type: its own, its fields', arguments', values'.
    pub(crate) fn metas(&self) -> impl Iterator<Item = &Meta> {
        std::iter::once(&self.meta)
            .chain(
                self.fields
                    .values()
                    .flat_map(|f| std::iter::once(&f.meta).chain(f.args.values().map(|a| &a.meta))),
            )
            .chain(self.values.values().map(|v| &v.meta))
            .chain(self.input_fields.values().map(|f| &f.meta))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub fields: String,
    pub selection: FieldSet,
    pub resolvable: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub name: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub meta: Meta,
    pub keys: Vec<Key>,
    /// Only ever declared with `extend type` (or `@extends`) in this subgraph.
    pub extension: bool,
    pub interface_object: bool,
    pub implements: Vec<String>,
    pub fields: IndexMap<String, FieldDef>,
    pub members: Vec<String>,
    pub values: IndexMap<String, EnumValueDef>,
    pub input_fields: IndexMap<String, InputValueDef>,
}

impl TypeDef {
    pub(crate) fn new(name: &str, kind: Kind) -> Self {
        TypeDef {
            name: name.to_owned(),
            kind,
            description: None,
            meta: Meta::default(),
            keys: Vec::new(),
            extension: true,
            interface_object: false,
            implements: Vec::new(),
            fields: IndexMap::new(),
            members: Vec::new(),
            values: IndexMap::new(),
            input_fields: IndexMap::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct FieldDef {
    pub name: String,
    pub description: Option<String>,
    pub ty: ast::Type,
    pub args: IndexMap<String, InputValueDef>,
    pub meta: Meta,
    pub shareable: bool,
    pub external: bool,
    pub requires: Option<Directive<FieldSet>>,
    pub provides: Option<Directive<FieldSet>>,
    pub override_from: Option<String>,
    pub override_label: Option<String>,
}

/// A field-set directive argument: its text as written and its parsed selection.
#[derive(Debug, Clone)]
pub(crate) struct Directive<T> {
    pub text: String,
    pub value: T,
}

#[derive(Debug, Clone)]
pub(crate) struct InputValueDef {
    pub name: String,
    pub description: Option<String>,
    pub ty: ast::Type,
    pub default: Option<ast::Value>,
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub(crate) struct EnumValueDef {
    pub name: String,
    pub description: Option<String>,
    pub meta: Meta,
}

/// A custom executable directive (used in operations), kept when all subgraphs define it.
#[derive(Debug, Clone)]
pub(crate) struct ExecutableDirective {
    pub definition: ast::DirectiveDefinition,
}

#[derive(Debug, Clone)]
pub(crate) struct Subgraph {
    pub name: String,
    pub url: String,
    /// Its value in the supergraph's `join__Graph` enum.
    pub graph: String,
    /// Federation 1 subgraphs (no federation @link) treat every field as shareable.
    pub fed1: bool,
    pub types: IndexMap<String, TypeDef>,
    pub directives: Vec<ExecutableDirective>,
    pub composed: Vec<ComposedDirective>,
}

impl Subgraph {
    pub(crate) fn field(&self, type_name: &str, field: &str) -> Option<&FieldDef> {
        self.types.get(type_name)?.fields.get(field)
    }
}

/// The named type at the bottom of list and non-null wrappers.
pub(crate) fn named_type(ty: &ast::Type) -> &str {
    ty.inner_named_type().as_str()
}

pub(crate) const ROOT_TYPES: [&str; 3] = ["Query", "Mutation", "Subscription"];

pub(crate) const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];
