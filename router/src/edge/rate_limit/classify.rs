//! What an operation asks for, for picking its rate-limit classes: its
//! type and the names of its root fields (through root fragments).

use std::collections::HashSet;

use apollo_compiler::{
    ExecutableDocument,
    executable::{Operation, OperationType as Kind, Selection, SelectionSet},
};

use super::config::OperationType;

pub fn operation_type(operation: &Operation) -> OperationType {
    match operation.operation_type {
        Kind::Query => OperationType::Query,
        Kind::Mutation => OperationType::Mutation,
        Kind::Subscription => OperationType::Subscription,
    }
}

/// The root field names, each once.
pub fn root_fields<'d>(document: &'d ExecutableDocument, operation: &'d Operation) -> Vec<&'d str> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    let mut visiting = HashSet::new();
    collect(
        document,
        &operation.selection_set,
        &mut names,
        &mut seen,
        &mut visiting,
    );
    names
}

fn collect<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    names: &mut Vec<&'d str>,
    seen: &mut HashSet<&'d str>,
    visiting: &mut HashSet<&'d str>,
) {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                if seen.insert(field.name.as_str()) {
                    names.push(field.name.as_str());
                }
            }
            Selection::InlineFragment(fragment) => {
                collect(document, &fragment.selection_set, names, seen, visiting);
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.fragment_name.as_str();
                // Validation forbids fragment cycles; the guard keeps an
                // unvalidated document from recursing forever all the same.
                if let Some(fragment) = document.fragments.get(name)
                    && visiting.insert(name)
                {
                    collect(document, &fragment.selection_set, names, seen, visiting);
                    visiting.remove(name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use apollo_compiler::Schema;

    use super::*;

    #[test]
    fn root_fields_are_found_through_fragments() {
        let schema =
            Schema::parse_and_validate("type Query { a: Int b: Int c: Int }", "schema.graphql")
                .expect("schema");
        let document = ExecutableDocument::parse_and_validate(
            &schema,
            "query { a x: a ... on Query { b } ...F } fragment F on Query { c }",
            "op.graphql",
        )
        .expect("document");
        let operation = document.operations.get(None).expect("operation");
        assert_eq!(root_fields(&document, operation), vec!["a", "b", "c"]);
        assert_eq!(operation_type(operation), OperationType::Query);
    }
}
