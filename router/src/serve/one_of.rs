//! OneOf Input Objects (September 2025 §3.10.1) written as literals in a
//! document: a literal of a `@oneOf` input object names exactly one field,
//! and that field's value is not null. apollo-compiler 1.33 predates them;
//! the rule is checked here, worded as graphql-js 17 words it.
//!
//! A literal whose one field is a variable can only be judged once the
//! variables are known; graphql-js then fails the field, this router
//! refuses the request (nothing has been fetched yet, and the client sent a
//! value it may not send).

use std::collections::HashSet;

use apollo_compiler::{
    Name, Node, Schema,
    ast::{Argument, InputValueDefinition, Type, Value},
    executable::{DirectiveList, ExecutableDocument, Operation, Selection, SelectionSet},
    validation::Valid,
};
use serde_json::Map;

use super::diagnostics::located;
use crate::response::GraphQLError;

/// The document's `@oneOf` literals that break the rule whatever the
/// variables are.
pub(crate) fn literal_errors(
    schema: &Schema,
    document: &Valid<ExecutableDocument>,
) -> Vec<GraphQLError> {
    let mut walk = Walk::new(schema, document, None);
    for operation in document.operations.iter() {
        walk.operation(operation);
    }
    for fragment in document.fragments.values() {
        walk.selection_set(&fragment.selection_set);
    }
    walk.errors
}

/// The `@oneOf` literals of `operation` whose one field is a variable the
/// request leaves out or sets to null.
pub(crate) fn variable_errors(
    schema: &Schema,
    document: &Valid<ExecutableDocument>,
    operation: &Operation,
    variables: &Map<String, serde_json::Value>,
) -> Vec<GraphQLError> {
    let mut walk = Walk::new(schema, document, Some(variables));
    walk.operation(operation);
    walk.errors
}

struct Walk<'a> {
    schema: &'a Schema,
    document: &'a Valid<ExecutableDocument>,
    /// `None`: checking the document alone, variables unknown.
    variables: Option<&'a Map<String, serde_json::Value>>,
    /// Fragments already walked (only when following spreads).
    fragments: HashSet<&'a Name>,
    errors: Vec<GraphQLError>,
}

impl<'a> Walk<'a> {
    fn new(
        schema: &'a Schema,
        document: &'a Valid<ExecutableDocument>,
        variables: Option<&'a Map<String, serde_json::Value>>,
    ) -> Self {
        Self {
            schema,
            document,
            variables,
            fragments: HashSet::new(),
            errors: Vec::new(),
        }
    }

    fn operation(&mut self, operation: &'a Operation) {
        self.directives(&operation.directives);
        self.selection_set(&operation.selection_set);
    }

    fn selection_set(&mut self, set: &'a SelectionSet) {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    let coordinate = |arg: &Name| format!("{}.{}({arg}:)", set.ty, field.name);
                    self.arguments(&field.definition.arguments, &field.arguments, coordinate);
                    self.directives(&field.directives);
                    self.selection_set(&field.selection_set);
                }
                Selection::InlineFragment(fragment) => {
                    self.directives(&fragment.directives);
                    self.selection_set(&fragment.selection_set);
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(&spread.directives);
                    // Checking the document alone walks every fragment
                    // once, spread or not; with variables, only those the
                    // operation spreads.
                    if self.variables.is_some()
                        && let Some(fragment) = self.document.fragments.get(&spread.fragment_name)
                        && self.fragments.insert(&fragment.name)
                    {
                        self.directives(&fragment.directives);
                        self.selection_set(&fragment.selection_set);
                    }
                }
            }
        }
    }

    fn directives(&mut self, directives: &'a DirectiveList) {
        for directive in directives.iter() {
            if let Some(definition) = self.schema.directive_definitions.get(&directive.name) {
                let coordinate = |arg: &Name| format!("@{}({arg}:)", directive.name);
                self.arguments(&definition.arguments, &directive.arguments, coordinate);
            }
        }
    }

    fn arguments(
        &mut self,
        definitions: &[Node<InputValueDefinition>],
        arguments: &[Node<Argument>],
        coordinate: impl Fn(&Name) -> String,
    ) {
        for argument in arguments {
            if let Some(definition) = definitions.iter().find(|d| d.name == argument.name) {
                self.value(&definition.ty, &argument.value, &coordinate(&argument.name));
            }
        }
    }

    fn value(&mut self, ty: &Type, value: &Node<Value>, argument: &str) {
        match (&**value, ty) {
            (Value::List(items), Type::List(item_ty) | Type::NonNullList(item_ty)) => {
                for item in items {
                    self.value(item_ty, item, argument);
                }
            }
            // A single value stands for a list of one.
            (_, Type::List(item_ty) | Type::NonNullList(item_ty)) => {
                self.value(item_ty, value, argument)
            }
            (Value::Object(fields), Type::Named(name) | Type::NonNullNamed(name)) => {
                let Some(input) = self.schema.get_input_object(name) else {
                    return;
                };
                if input.directives.has("oneOf") {
                    self.one_of(name, fields, value, argument);
                }
                for (field_name, field_value) in fields {
                    if let Some(field) = input.fields.get(field_name) {
                        self.value(&field.ty, field_value, argument);
                    }
                }
            }
            _ => {}
        }
    }

    fn one_of(
        &mut self,
        type_name: &Name,
        fields: &[(Name, Node<Value>)],
        literal: &Node<Value>,
        argument: &str,
    ) {
        let sources = &self.document.sources;
        let broken = || {
            format!(
                "Within OneOf Input Object type \"{type_name}\", exactly one field must be specified, and the value for that field must be non-null."
            )
        };
        match (fields, self.variables) {
            ([(_, field_value)], None) if !field_value.is_null() => {}
            (_, None) => {
                self.errors
                    .push(located(broken(), literal.location(), sources));
            }
            ([(field_name, field_value)], Some(variables)) => {
                let Value::Variable(variable) = &**field_value else {
                    return;
                };
                let problem = match variables.get(variable.as_str()) {
                    None => "to provide a runtime value",
                    Some(serde_json::Value::Null) => "not to be null",
                    Some(_) => return,
                };
                self.errors.push(located(
                    format!(
                        "Argument \"{argument}\" has invalid value: Expected variable \"${variable}\" provided to field \"{field_name}\" for OneOf Input Object type \"{type_name}\" {problem}."
                    ),
                    literal.location(),
                    sources,
                ));
            }
            // Already refused when the document was validated.
            (_, Some(_)) => {}
        }
    }
}
