//! Reading directive applications: keys and field sets, and the directives that pass
//! into the supergraph (`@tag`, `@inaccessible`, authorization, built-ins, composed ones).

use apollo_compiler::ast;

use super::super::error::ErrorCode;
use super::super::fieldset::FieldSet;
use super::super::link::Fed;
use super::super::model::{CustomDirective, Directive, Key, Meta};
use super::Parser;

impl Parser<'_> {
    pub(super) fn key(&mut self, type_name: &str, directive: &ast::Directive) -> Option<Key> {
        let Some(fields) = directive
            .specified_argument_by_name("fields")
            .and_then(|v| v.as_str())
        else {
            let message = "@key without a fields string".to_owned();
            self.error(ErrorCode::KeyInvalidFields, type_name, None, message);
            return None;
        };
        let resolvable = directive
            .specified_argument_by_name("resolvable")
            .and_then(|v| v.to_bool())
            .unwrap_or(true);
        match FieldSet::parse(fields) {
            Ok(selection) => Some(Key {
                fields: fields.to_owned(),
                selection,
                resolvable,
            }),
            Err(message) => {
                self.error(
                    ErrorCode::KeyInvalidFields,
                    type_name,
                    None,
                    format!("On type \"{type_name}\", @key: {message}"),
                );
                None
            }
        }
    }

    pub(super) fn field_set(
        &mut self,
        directive: &ast::Directive,
        code: ErrorCode,
        type_name: &str,
        field: &str,
    ) -> Option<Directive<FieldSet>> {
        let text = directive
            .specified_argument_by_name("fields")
            .and_then(|v| v.as_str());
        let parsed = match text {
            Some(text) => FieldSet::parse(text).map(|value| Directive {
                text: text.to_owned(),
                value,
            }),
            None => Err(format!("@{} without a fields string", directive.name)),
        };
        match parsed {
            Ok(set) => Some(set),
            Err(message) => {
                self.error(code, type_name, Some(field), message);
                None
            }
        }
    }

    pub(super) fn directives_meta(
        &mut self,
        meta: &mut Meta,
        directives: &ast::DirectiveList,
        type_name: &str,
        field: Option<&str>,
    ) {
        for directive in directives.iter() {
            match self.links.resolve(&directive.name) {
                Some(fed) => self.meta(meta, fed, directive, type_name, field),
                None => self.builtin_meta(meta, directive),
            }
        }
    }

    /// The federation directives that pass into the supergraph as they are.
    pub(super) fn meta(
        &mut self,
        meta: &mut Meta,
        fed: Fed,
        directive: &ast::Directive,
        type_name: &str,
        field: Option<&str>,
    ) {
        match fed {
            Fed::Inaccessible => meta.inaccessible = true,
            Fed::Tag => match directive
                .specified_argument_by_name("name")
                .and_then(|v| v.as_str())
            {
                Some(tag) if !meta.tags.iter().any(|t| t == tag) => {
                    meta.tags.push(tag.to_owned());
                    meta.applied("tag");
                }
                Some(_) => {}
                None => self.error(
                    ErrorCode::InvalidDirectiveArgument,
                    type_name,
                    field,
                    "@tag without a name".to_owned(),
                ),
            },
            Fed::Authenticated => {
                meta.authenticated = true;
                meta.applied("authenticated");
            }
            Fed::RequiresScopes | Fed::Policy => {
                let argument = if fed == Fed::Policy {
                    "policies"
                } else {
                    "scopes"
                };
                match directive
                    .specified_argument_by_name(argument)
                    .and_then(|v| nested_strings(v))
                {
                    Some(value) => {
                        let slot = if fed == Fed::Policy {
                            &mut meta.policies
                        } else {
                            &mut meta.scopes
                        };
                        *slot = Some(match slot.take() {
                            Some(existing) => super::super::merge::dnf_and(&existing, &value),
                            None => value,
                        });
                        meta.applied(if fed == Fed::Policy {
                            "policy"
                        } else {
                            "requiresScopes"
                        });
                    }
                    None => {
                        let message =
                            format!("@{} needs {argument}: [[String!]!]!", directive.name);
                        self.error(
                            ErrorCode::InvalidDirectiveArgument,
                            type_name,
                            field,
                            message,
                        );
                    }
                }
            }
            Fed::Unsupported => {
                let message = format!("@{} is not supported by this composition", directive.name);
                self.error(ErrorCode::UnsupportedFeature, type_name, field, message);
            }
            // Misplaced composition directives (e.g. @key on a field) and the ones we do not
            // carry (@context, @cost...) leave no trace in the supergraph.
            _ => {}
        }
    }

    /// Built-in directives the supergraph keeps.
    pub(super) fn builtin_meta(&mut self, meta: &mut Meta, directive: &ast::Directive) {
        match directive.name.as_str() {
            "deprecated" => {
                let reason = directive
                    .specified_argument_by_name("reason")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                meta.deprecated = Some(reason);
                meta.applied("deprecated");
            }
            "specifiedBy" => {
                meta.specified_by = directive
                    .specified_argument_by_name("url")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                meta.applied("specifiedBy");
            }
            "oneOf" => {
                meta.one_of = true;
                meta.applied("oneOf");
            }
            name => {
                if let Some(repeatable) = self.composed.get(name) {
                    meta.applied(name);
                    meta.custom.push(CustomDirective {
                        directive: directive.clone(),
                        repeatable: *repeatable,
                    });
                }
            }
        }
    }
}

/// Reads `[[String!]!]!`, applying GraphQL's list input coercion (`"a"` is `[["a"]]`).
fn nested_strings(value: &ast::Value) -> Option<Vec<Vec<String>>> {
    match value {
        ast::Value::String(s) => Some(vec![vec![s.clone()]]),
        ast::Value::List(outer) => outer
            .iter()
            .map(|inner| match inner.as_ref() {
                ast::Value::String(s) => Some(vec![s.clone()]),
                ast::Value::List(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
