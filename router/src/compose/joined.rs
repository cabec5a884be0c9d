//! The merged supergraph model that [`super::emit`] prints: every type and field with the
//! join information saying which subgraph provides what.

use apollo_compiler::ast;
use indexmap::IndexMap;

use super::model::{Kind, Meta, Security};

#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub name: String,
    pub url: String,
    /// The `join__Graph` enum value.
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Joined {
    pub graphs: Vec<Graph>,
    pub types: IndexMap<String, JType>,
    pub directives: Vec<ast::DirectiveDefinition>,
    /// The authorization specs in the order subgraphs first use them (link order).
    pub security_order: Vec<Security>,
    /// The specs of `@composeDirective` directives, with their definitions.
    pub composed: Vec<super::composed::ComposedLink>,
    /// Non-fatal notes (what was left out of the supergraph, and why).
    pub hints: Vec<String>,
}

/// One `@join__type`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TypeJoin {
    pub graph: usize,
    pub key: Option<String>,
    pub extension: bool,
    pub resolvable: bool,
    pub interface_object: bool,
}

/// One `@join__field`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FieldJoin {
    pub graph: usize,
    pub requires: Option<String>,
    pub provides: Option<String>,
    /// The subgraph's own type for the field, when subgraphs disagree.
    pub ty: Option<String>,
    pub external: bool,
    pub override_from: Option<String>,
    pub override_label: Option<String>,
    pub used_overridden: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct JType {
    pub name: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub meta: Meta,
    pub joins: Vec<TypeJoin>,
    /// Interface name → the graphs where this type implements it.
    pub implements: IndexMap<String, Vec<usize>>,
    pub fields: IndexMap<String, JField>,
    /// Union member → the graphs where it is a member.
    pub members: IndexMap<String, Vec<usize>>,
    pub values: IndexMap<String, JEnumValue>,
    pub input_fields: IndexMap<String, JInputValue>,
}

#[derive(Debug, Clone)]
pub(crate) struct JField {
    pub name: String,
    pub description: Option<String>,
    pub ty: ast::Type,
    pub args: IndexMap<String, JInputValue>,
    pub meta: Meta,
    /// `None`: every subgraph with the type resolves the field alike, so no `@join__field`.
    /// `Some(empty)`: a bare `@join__field` (no subgraph defines the field itself).
    pub joins: Option<Vec<FieldJoin>>,
}

#[derive(Debug, Clone)]
pub(crate) struct JInputValue {
    pub name: String,
    pub description: Option<String>,
    pub ty: ast::Type,
    pub default: Option<ast::Value>,
    pub meta: Meta,
    /// `@join__field(graph:, type:)` on input fields whose type differs between subgraphs.
    pub joins: Option<Vec<FieldJoin>>,
}

#[derive(Debug, Clone)]
pub(crate) struct JEnumValue {
    pub name: String,
    pub description: Option<String>,
    pub meta: Meta,
    pub graphs: Vec<usize>,
}
