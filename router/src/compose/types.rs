//! Merging one field's type as different subgraphs declare it.

use apollo_compiler::ast::Type;

/// The type the supergraph gives an output field: the most general of the subgraphs'
/// types (nullable wins; an interface or union wins over its implementations/members).
/// `None` when the types are incompatible.
pub(crate) fn merge_output(
    a: &Type,
    b: &Type,
    is_subtype: &dyn Fn(&str, &str) -> bool,
) -> Option<Type> {
    let named = |x: &ast_name::Name, y: &ast_name::Name| -> Option<ast_name::Name> {
        if x == y || is_subtype(y, x) {
            Some(x.clone())
        } else if is_subtype(x, y) {
            Some(y.clone())
        } else {
            None
        }
    };
    match (a, b) {
        (Type::Named(x), Type::Named(y)) => named(x, y).map(Type::Named),
        (Type::NonNullNamed(x), Type::NonNullNamed(y)) => named(x, y).map(Type::NonNullNamed),
        (Type::List(x), Type::List(y)) => {
            merge_output(x, y, is_subtype).map(|t| Type::List(Box::new(t)))
        }
        (Type::NonNullList(x), Type::NonNullList(y)) => {
            merge_output(x, y, is_subtype).map(|t| Type::NonNullList(Box::new(t)))
        }
        _ if a.is_non_null() || b.is_non_null() => {
            merge_output(&a.clone().nullable(), &b.clone().nullable(), is_subtype)
        }
        _ => None,
    }
}

/// The type the supergraph gives an argument or input field: the most restrictive
/// (non-null wins); named types must be equal. `None` when incompatible.
pub(crate) fn merge_input(a: &Type, b: &Type) -> Option<Type> {
    match (a, b) {
        (Type::Named(x), Type::Named(y)) if x == y => Some(a.clone()),
        (Type::NonNullNamed(x), Type::NonNullNamed(y)) if x == y => Some(a.clone()),
        (Type::List(x), Type::List(y)) => merge_input(x, y).map(|t| Type::List(Box::new(t))),
        (Type::NonNullList(x), Type::NonNullList(y)) => {
            merge_input(x, y).map(|t| Type::NonNullList(Box::new(t)))
        }
        _ if a.is_non_null() != b.is_non_null() => {
            merge_input(&a.clone().nullable(), &b.clone().nullable()).map(Type::non_null)
        }
        _ => None,
    }
}

mod ast_name {
    pub(crate) use apollo_compiler::Name;
}

#[cfg(test)]
mod tests {
    use super::*;
    use apollo_compiler::Name;

    fn named(n: &str) -> Type {
        Type::Named(Name::new_unchecked(n))
    }

    #[test]
    fn output_types_merge_to_the_nullable_one() {
        let a = named("Int").non_null();
        let b = named("Int");
        assert_eq!(merge_output(&a, &b, &|_, _| false), Some(named("Int")));
        assert_eq!(
            merge_output(&named("Int").list(), &named("String").list(), &|_, _| false),
            None
        );
    }

    #[test]
    fn input_types_merge_to_the_non_null_one() {
        let a = named("Int").non_null().list();
        let b = named("Int").list();
        assert_eq!(merge_input(&a, &b), Some(named("Int").non_null().list()));
        assert_eq!(merge_input(&named("Int"), &named("Float")), None);
    }
}
