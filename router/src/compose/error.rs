//! Composition errors: each names the subgraph(s), type and field involved, with the
//! error code Apollo's composition uses for the same problem, so messages can be looked up.

use std::fmt;

/// What kind of composition problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The subgraph SDL does not parse.
    InvalidGraphql,
    /// Two subgraphs have the same name, or a name is empty.
    InvalidSubgraphName,
    /// A type is an object in one subgraph and e.g. an interface in another.
    TypeKindMismatch,
    /// A field's type differs incompatibly between subgraphs.
    FieldTypeMismatch,
    /// An argument or input field type differs incompatibly between subgraphs.
    InputTypeMismatch,
    /// A default value differs between subgraphs.
    DefaultValueMismatch,
    /// A @key selects fields that the type does not have in that subgraph.
    KeyInvalidFields,
    /// A @key selects a field that takes arguments.
    KeyFieldsHasArgs,
    /// A @requires selects fields that the type does not have in that subgraph.
    RequiresInvalidFields,
    /// A @provides selects fields that the returned type does not have in that subgraph.
    ProvidesInvalidFields,
    /// An @external field's type does not match the field's type.
    ExternalTypeMismatch,
    /// An @external field lacks an argument the field takes.
    ExternalArgumentMissing,
    /// A field (or @link, @requires...) argument could not be read.
    InvalidDirectiveArgument,
    /// A field that is not @shareable is resolved by more than one subgraph.
    InvalidFieldSharing,
    /// A field is @external in every subgraph that defines it.
    ExternalMissingOnBase,
    /// An enum used as input and output has different values in different subgraphs.
    EnumValueMismatch,
    /// An argument required in one subgraph is missing from another.
    RequiredArgumentMissing,
    /// An input field required in one subgraph is missing from another.
    RequiredInputFieldMissing,
    /// No input field is common to all subgraphs defining the input type.
    EmptyMergedInputType,
    /// A field is overridden from the subgraph that declares the @override.
    OverrideFromSelf,
    /// A field is overridden from a subgraph whose copy has an @override itself.
    OverrideSourceHasOverride,
    /// A field that some query can reach cannot be resolved from where it is reached.
    SatisfiabilityError,
    /// An @external field that no @key, @requires or @provides of its subgraph uses.
    ExternalUnused,
    /// No subgraph defines a root query field.
    NoQueries,
    /// A federation feature this composition does not implement (`@context`).
    UnsupportedFeature,
    /// An element clients can see refers to an @inaccessible type.
    ReferencedInaccessible,
    /// A required argument or input field is @inaccessible.
    RequiredInaccessible,
    /// Every field (value, member) of a visible type is @inaccessible.
    OnlyInaccessibleChildren,
    /// An implementation hides a field its visible interface exposes.
    ImplementedByInaccessible,
    /// A `@composeDirective` that cannot be honoured.
    DirectiveCompositionError,
}

impl ErrorCode {
    /// The code as Apollo's composition spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidGraphql => "INVALID_GRAPHQL",
            ErrorCode::InvalidSubgraphName => "INVALID_SUBGRAPH_NAME",
            ErrorCode::TypeKindMismatch => "TYPE_KIND_MISMATCH",
            ErrorCode::FieldTypeMismatch => "FIELD_TYPE_MISMATCH",
            ErrorCode::InputTypeMismatch => "FIELD_ARGUMENT_TYPE_MISMATCH",
            ErrorCode::DefaultValueMismatch => "FIELD_ARGUMENT_DEFAULT_MISMATCH",
            ErrorCode::KeyInvalidFields => "KEY_INVALID_FIELDS",
            ErrorCode::KeyFieldsHasArgs => "KEY_FIELDS_HAS_ARGS",
            ErrorCode::RequiresInvalidFields => "REQUIRES_INVALID_FIELDS",
            ErrorCode::ProvidesInvalidFields => "PROVIDES_INVALID_FIELDS",
            ErrorCode::ExternalTypeMismatch => "EXTERNAL_TYPE_MISMATCH",
            ErrorCode::ExternalArgumentMissing => "EXTERNAL_ARGUMENT_MISSING",
            ErrorCode::InvalidDirectiveArgument => "INVALID_DIRECTIVE_ARGUMENT",
            ErrorCode::InvalidFieldSharing => "INVALID_FIELD_SHARING",
            ErrorCode::ExternalMissingOnBase => "EXTERNAL_MISSING_ON_BASE",
            ErrorCode::EnumValueMismatch => "ENUM_VALUE_MISMATCH",
            ErrorCode::RequiredArgumentMissing => "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
            ErrorCode::RequiredInputFieldMissing => "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
            ErrorCode::EmptyMergedInputType => "EMPTY_MERGED_INPUT_TYPE",
            ErrorCode::OverrideFromSelf => "OVERRIDE_FROM_SELF_ERROR",
            ErrorCode::OverrideSourceHasOverride => "OVERRIDE_SOURCE_HAS_OVERRIDE",
            ErrorCode::SatisfiabilityError => "SATISFIABILITY_ERROR",
            ErrorCode::ExternalUnused => "EXTERNAL_UNUSED",
            ErrorCode::NoQueries => "NO_QUERIES",
            ErrorCode::UnsupportedFeature => "UNSUPPORTED_FEATURE",
            ErrorCode::ReferencedInaccessible => "REFERENCED_INACCESSIBLE",
            ErrorCode::RequiredInaccessible => "REQUIRED_INACCESSIBLE",
            ErrorCode::OnlyInaccessibleChildren => "ONLY_INACCESSIBLE_CHILDREN",
            ErrorCode::ImplementedByInaccessible => "IMPLEMENTED_BY_INACCESSIBLE",
            ErrorCode::DirectiveCompositionError => "DIRECTIVE_COMPOSITION_ERROR",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One composition problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositionError {
    pub code: ErrorCode,
    /// The subgraphs involved, in composition order.
    pub subgraphs: Vec<String>,
    /// The type involved, when there is one.
    pub type_name: Option<String>,
    /// The field (or enum value, input field) of `type_name` involved, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl CompositionError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CompositionError {
            code,
            subgraphs: Vec::new(),
            type_name: None,
            field: None,
            message: message.into(),
        }
    }

    pub(crate) fn subgraph(mut self, name: &str) -> Self {
        if !self.subgraphs.iter().any(|s| s == name) {
            self.subgraphs.push(name.to_owned());
        }
        self
    }

    pub(crate) fn subgraphs<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        for name in names {
            self = self.subgraph(name);
        }
        self
    }

    pub(crate) fn on_type(mut self, type_name: &str) -> Self {
        self.type_name = Some(type_name.to_owned());
        self
    }

    pub(crate) fn on_field(mut self, type_name: &str, field: &str) -> Self {
        self.type_name = Some(type_name.to_owned());
        self.field = Some(field.to_owned());
        self
    }

    /// `Type.field` (or `Type`) when known.
    pub fn coordinate(&self) -> Option<String> {
        match (&self.type_name, &self.field) {
            (Some(t), Some(f)) => Some(format!("{t}.{f}")),
            (Some(t), None) => Some(t.clone()),
            _ => None,
        }
    }
}

impl fmt::Display for CompositionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.subgraphs.is_empty() {
            write!(f, " [{}]", self.subgraphs.join(", "))?;
        }
        if let Some(coordinate) = self.coordinate() {
            write!(f, " {coordinate}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for CompositionError {}
