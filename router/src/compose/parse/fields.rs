//! A subgraph's field and argument definitions → the model, with their
//! federation directives (`@shareable`, `@external`, `@requires`,
//! `@provides`, `@override`) and metadata.

use apollo_compiler::ast;
use indexmap::IndexMap;

use super::Parser;
use crate::compose::{
    error::ErrorCode,
    link::Fed,
    model::{FieldDef, InputValueDef, Meta},
};

impl Parser<'_> {
    pub(super) fn field(&mut self, type_name: &str, field: &ast::FieldDefinition) -> FieldDef {
        let mut def = FieldDef {
            name: field.name.to_string(),
            description: field.description.as_deref().map(str::to_owned),
            ty: self.rename_type(&field.ty),
            args: IndexMap::new(),
            meta: Meta::default(),
            shareable: false,
            external: false,
            requires: None,
            provides: None,
            override_from: None,
            override_label: None,
        };
        for directive in field.directives.iter() {
            match self.links.resolve(&directive.name) {
                Some(Fed::Shareable) => def.shareable = true,
                Some(Fed::External) => def.external = true,
                Some(Fed::Requires) => {
                    def.requires = self.field_set(
                        directive,
                        ErrorCode::RequiresInvalidFields,
                        type_name,
                        &field.name,
                    );
                }
                Some(Fed::Provides) => {
                    def.provides = self.field_set(
                        directive,
                        ErrorCode::ProvidesInvalidFields,
                        type_name,
                        &field.name,
                    );
                }
                Some(Fed::Override) => {
                    def.override_from = directive
                        .specified_argument_by_name("from")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned);
                    def.override_label = directive
                        .specified_argument_by_name("label")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned);
                }
                Some(fed) => self.meta(&mut def.meta, fed, directive, type_name, Some(&field.name)),
                None => self.builtin_meta(&mut def.meta, directive),
            }
        }
        for arg in &field.arguments {
            let arg = self.input_value(type_name, arg);
            def.args.insert(arg.name.clone(), arg);
        }
        def
    }

    pub(super) fn input_value(
        &mut self,
        type_name: &str,
        value: &ast::InputValueDefinition,
    ) -> InputValueDef {
        let mut meta = Meta::default();
        self.directives_meta(&mut meta, &value.directives, type_name, Some(&value.name));
        InputValueDef {
            name: value.name.to_string(),
            description: value.description.as_deref().map(str::to_owned),
            ty: self.rename_type(&value.ty),
            default: value.default_value.as_deref().cloned(),
            meta,
        }
    }
}
