//! Whole-subgraph checks and adjustments made once every definition is read.

use std::collections::HashMap;

use apollo_compiler::ast::{self, OperationType};
use indexmap::IndexMap;

use super::super::error::{CompositionError, ErrorCode};
use super::super::model::{BUILT_IN_SCALARS, Kind, ROOT_TYPES, TypeDef, named_type};

/// Every type a field, argument, input field, union member or interface names must be
/// defined in the subgraph itself (or be built in).
pub(super) fn check_type_references(
    subgraph: &str,
    types: &IndexMap<String, TypeDef>,
    errors: &mut Vec<CompositionError>,
) {
    let known = |name: &str| BUILT_IN_SCALARS.contains(&name) || types.contains_key(name);
    for ty in types.values() {
        let mut references: Vec<(Option<&str>, &str)> = Vec::new();
        for field in ty.fields.values() {
            references.push((Some(&field.name), named_type(&field.ty)));
            references.extend(
                field
                    .args
                    .values()
                    .map(|a| (Some(field.name.as_str()), named_type(&a.ty))),
            );
        }
        references.extend(
            ty.input_fields
                .values()
                .map(|f| (Some(f.name.as_str()), named_type(&f.ty))),
        );
        references.extend(ty.members.iter().map(|m| (None, m.as_str())));
        references.extend(ty.implements.iter().map(|i| (None, i.as_str())));
        for (field, target) in references {
            if known(target) {
                continue;
            }
            let error = CompositionError::new(
                ErrorCode::InvalidGraphql,
                format!("Unknown type \"{target}\""),
            )
            .subgraph(subgraph);
            errors.push(match field {
                Some(field) => error.on_field(&ty.name, field),
                None => error.on_type(&ty.name),
            });
        }
    }
}

/// A type implementing an interface must have each of the interface's fields (GraphQL's
/// own rule, checked per subgraph as Apollo does).
pub(super) fn check_implementations(
    subgraph: &str,
    types: &IndexMap<String, TypeDef>,
    errors: &mut Vec<CompositionError>,
) {
    for ty in types.values() {
        for interface in &ty.implements {
            let Some(interface_type) = types.get(interface) else {
                continue;
            };
            for field in interface_type.fields.keys() {
                if !ty.fields.contains_key(field) {
                    let message = format!(
                        "Interface field \"{interface}.{field}\" expected but type \"{}\" does not provide it.",
                        ty.name
                    );
                    errors.push(
                        CompositionError::new(ErrorCode::InvalidGraphql, message)
                            .subgraph(subgraph)
                            .on_field(&ty.name, field),
                    );
                }
            }
        }
    }
}

/// Federation 1 had no @shareable: value types and key fields could be defined anywhere,
/// and key fields of extended types were marked @external. Apollo upgrades such subgraphs
/// before composing; this is the part of that upgrade that changes the supergraph.
pub(super) fn upgrade_fed1(ty: &mut TypeDef) {
    if ty.kind != Kind::Object {
        return;
    }
    for field in ty.fields.values_mut() {
        field.shareable = true;
    }
    drop_fake_externals(ty);
}

/// Key fields marked @external on an extension (`extend type T @key(fields: "id")
/// { id: ID! @external }`, the Federation 1 idiom that frameworks still emit) are not
/// really external: the subgraph can resolve them from the representation.
pub(super) fn drop_fake_externals(ty: &mut TypeDef) {
    let key_fields: Vec<String> = ty
        .keys
        .iter()
        .flat_map(|k| k.selection.top_level_fields().map(str::to_owned))
        .collect();
    for field in ty.fields.values_mut() {
        if key_fields.contains(&field.name) {
            field.external = false;
        }
    }
}

/// Root type name → `Query`/`Mutation`/`Subscription`; an error when an operation has
/// two roots or a root's standard name is taken by another type.
pub(super) fn root_renames(document: &ast::Document) -> Result<HashMap<String, String>, String> {
    let mut renames: HashMap<String, String> = HashMap::new();
    for definition in &document.definitions {
        let roots = match definition {
            ast::Definition::SchemaDefinition(def) => &def.root_operations,
            ast::Definition::SchemaExtension(ext) => &ext.root_operations,
            _ => continue,
        };
        for root in roots {
            let (operation, named) = &**root;
            let standard = match operation {
                OperationType::Query => "Query",
                OperationType::Mutation => "Mutation",
                OperationType::Subscription => "Subscription",
            };
            if renames.values().any(|s| s == standard) {
                return Err(format!(
                    "the schema declares more than one {operation} root type"
                ));
            }
            renames.insert(named.to_string(), standard.to_owned());
        }
    }
    for definition in &document.definitions {
        if let Some(name) = definition.name()
            && ROOT_TYPES.contains(&name.as_str())
            && renames.values().any(|s| s == name.as_str())
            && !renames.contains_key(name.as_str())
        {
            return Err(format!(
                "type \"{name}\" is not the root type of its operation, but the supergraph needs that name for the root"
            ));
        }
    }
    Ok(renames)
}

/// Default values of arguments and input fields must be valid for their type in the
/// subgraph (an enum default must be one of the enum's values there, and so on).
pub(super) fn check_default_values(
    subgraph: &str,
    types: &IndexMap<String, TypeDef>,
    errors: &mut Vec<CompositionError>,
) {
    for ty in types.values() {
        let mut inputs: Vec<(String, &super::super::model::InputValueDef)> = Vec::new();
        for field in ty.fields.values() {
            for arg in field.args.values() {
                inputs.push((
                    format!("argument {}.{}({}:)", ty.name, field.name, arg.name),
                    arg,
                ));
            }
        }
        for input in ty.input_fields.values() {
            inputs.push((format!("input field {}.{}", ty.name, input.name), input));
        }
        for (what, input) in inputs {
            let Some(default) = &input.default else {
                continue;
            };
            if !valid_value(default, &input.ty, types) {
                let message = format!(
                    "Invalid default value (got: {}) provided for {what} of type {}.",
                    default.serialize().no_indent(),
                    input.ty
                );
                errors.push(
                    CompositionError::new(ErrorCode::InvalidGraphql, message)
                        .subgraph(subgraph)
                        .on_field(&ty.name, &input.name),
                );
            }
        }
    }
}

fn valid_value(value: &ast::Value, ty: &ast::Type, types: &IndexMap<String, TypeDef>) -> bool {
    use ast::Value as V;
    match (value, ty) {
        (V::Null, _) => !ty.is_non_null(),
        (V::Variable(_), _) => false,
        (V::List(items), ast::Type::List(inner) | ast::Type::NonNullList(inner)) => {
            items.iter().all(|item| valid_value(item, inner, types))
        }
        // A single value stands for a one-item list.
        (_, ast::Type::List(inner) | ast::Type::NonNullList(inner)) => {
            valid_value(value, inner, types)
        }
        (_, ast::Type::Named(name) | ast::Type::NonNullNamed(name)) => match (name.as_str(), value)
        {
            ("Int", V::Int(_)) | ("Float", V::Int(_) | V::Float(_)) | ("String", V::String(_)) => {
                true
            }
            ("Boolean", V::Boolean(_)) | ("ID", V::String(_) | V::Int(_)) => true,
            ("Int" | "Float" | "String" | "Boolean" | "ID", _) => false,
            (other, _) => match types.get(other) {
                Some(t) if t.kind == Kind::Enum => {
                    matches!(value, V::Enum(v) if t.values.contains_key(v.as_str()))
                }
                Some(t) if t.kind == Kind::InputObject => match value {
                    V::Object(fields) => {
                        let known = fields.iter().all(|(name, v)| {
                            t.input_fields
                                .get(name.as_str())
                                .is_some_and(|f| valid_value(v, &f.ty, types))
                        });
                        let required_given = t.input_fields.values().all(|f| {
                            !f.ty.is_non_null()
                                || f.default.is_some()
                                || fields.iter().any(|(n, _)| n.as_str() == f.name)
                        });
                        known && required_given
                    }
                    _ => false,
                },
                // Custom scalars take any literal; unknown types are reported elsewhere.
                _ => true,
            },
        },
    }
}
