//! `@inaccessible` rules: what clients can see (the API schema) must still be a valid
//! schema once inaccessible elements are removed.

use super::error::{CompositionError, ErrorCode};
use super::joined::{JType, Joined};
use super::model::{Kind, named_type};

pub(crate) fn check(joined: &Joined) -> Vec<CompositionError> {
    let mut checker = Checker {
        joined,
        errors: Vec::new(),
    };
    for ty in joined.types.values().filter(|t| !t.meta.inaccessible) {
        checker.check_type(ty);
    }
    checker.errors
}

struct Checker<'a> {
    joined: &'a Joined,
    errors: Vec<CompositionError>,
}

impl Checker<'_> {
    fn hidden(&self, type_name: &str) -> bool {
        self.joined
            .types
            .get(type_name)
            .is_some_and(|t| t.meta.inaccessible)
    }

    /// The subgraphs that define the type (the ones to fix).
    fn graphs(&self, ty: &JType) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for join in &ty.joins {
            let name = self.joined.graphs[join.graph].name.as_str();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    fn error(&mut self, code: ErrorCode, ty: &JType, field: Option<&str>, message: String) {
        let error = CompositionError::new(code, message).subgraphs(self.graphs(ty));
        self.errors.push(match field {
            Some(field) => error.on_field(&ty.name, field),
            None => error.on_type(&ty.name),
        });
    }

    fn check_type(&mut self, ty: &JType) {
        let children: Vec<bool> = match ty.kind {
            Kind::Object | Kind::Interface => {
                ty.fields.values().map(|f| f.meta.inaccessible).collect()
            }
            Kind::InputObject => ty
                .input_fields
                .values()
                .map(|f| f.meta.inaccessible)
                .collect(),
            Kind::Enum => ty.values.values().map(|v| v.meta.inaccessible).collect(),
            Kind::Union => ty.members.keys().map(|m| self.hidden(m)).collect(),
            Kind::Scalar => Vec::new(),
        };
        if !children.is_empty() && children.iter().all(|hidden| *hidden) {
            let message = format!(
                "Type \"{}\" is in the API schema but all of its members are @inaccessible.",
                ty.name
            );
            self.error(ErrorCode::OnlyInaccessibleChildren, ty, None, message);
        }
        for field in ty.fields.values().filter(|f| !f.meta.inaccessible) {
            let target = named_type(&field.ty);
            if self.hidden(target) {
                let message = format!(
                    "Type \"{target}\" is @inaccessible but is referenced by \"{}.{}\", which is in the API schema.",
                    ty.name, field.name
                );
                self.error(
                    ErrorCode::ReferencedInaccessible,
                    ty,
                    Some(&field.name),
                    message,
                );
            }
            for arg in field.args.values() {
                let coordinate = format!("{}.{}({}:)", ty.name, field.name, arg.name);
                self.check_input_value(ty, &field.name, &coordinate, arg);
            }
        }
        for input in ty.input_fields.values() {
            let coordinate = format!("{}.{}", ty.name, input.name);
            self.check_input_value(ty, &input.name, &coordinate, input);
        }
        // A field an accessible interface exposes cannot be hidden on an implementation.
        for (interface, _) in &ty.implements {
            let Some(interface_type) = self.joined.types.get(interface) else {
                continue;
            };
            if interface_type.meta.inaccessible {
                continue;
            }
            for field in ty.fields.values().filter(|f| f.meta.inaccessible) {
                if interface_type
                    .fields
                    .get(&field.name)
                    .is_some_and(|f| !f.meta.inaccessible)
                {
                    let message = format!(
                        "Field \"{}.{}\" is @inaccessible but implements the interface field \"{interface}.{}\", which is in the API schema.",
                        ty.name, field.name, field.name
                    );
                    self.error(
                        ErrorCode::ImplementedByInaccessible,
                        ty,
                        Some(&field.name),
                        message,
                    );
                }
            }
        }
    }

    fn check_input_value(
        &mut self,
        ty: &JType,
        field: &str,
        coordinate: &str,
        value: &super::joined::JInputValue,
    ) {
        if value.meta.inaccessible {
            if value.ty.is_non_null() && value.default.is_none() {
                let message = format!(
                    "\"{coordinate}\" is required but is @inaccessible: a required input cannot be hidden from clients."
                );
                self.error(ErrorCode::RequiredInaccessible, ty, Some(field), message);
            }
            return;
        }
        let target = named_type(&value.ty);
        if self.hidden(target) {
            let message = format!(
                "Type \"{target}\" is @inaccessible but is referenced by \"{coordinate}\", which is in the API schema."
            );
            self.error(ErrorCode::ReferencedInaccessible, ty, Some(field), message);
        }
    }
}
