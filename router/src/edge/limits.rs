//! Operation shape limits (depth, aliases, root fields), checked on the
//! validated document before anything is planned or fetched.

use std::collections::HashMap;

use apollo_compiler::{
    ExecutableDocument,
    executable::{Operation, Selection, SelectionSet},
};

use crate::config::Limits;

/// The measured shape of an operation (fragments expanded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    pub depth: usize,
    pub aliases: usize,
    pub root_fields: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("the operation is {actual} levels deep; the limit is {limit}")]
    Depth { actual: usize, limit: usize },
    #[error("the operation has {actual} aliases; the limit is {limit}")]
    Aliases { actual: usize, limit: usize },
    #[error("the operation has {actual} root fields; the limit is {limit}")]
    RootFields { actual: usize, limit: usize },
}

pub fn check(
    document: &ExecutableDocument,
    operation: &Operation,
    limits: &Limits,
) -> Result<Shape, LimitError> {
    let shape = measure(document, operation);
    if shape.depth > limits.max_depth {
        return Err(LimitError::Depth {
            actual: shape.depth,
            limit: limits.max_depth,
        });
    }
    if shape.aliases > limits.max_aliases {
        return Err(LimitError::Aliases {
            actual: shape.aliases,
            limit: limits.max_aliases,
        });
    }
    if shape.root_fields > limits.max_root_fields {
        return Err(LimitError::RootFields {
            actual: shape.root_fields,
            limit: limits.max_root_fields,
        });
    }
    Ok(shape)
}

pub fn measure(document: &ExecutableDocument, operation: &Operation) -> Shape {
    let mut memo = HashMap::new();
    let (depth, aliases) = set_shape(document, &operation.selection_set, &mut memo);
    Shape {
        depth,
        aliases,
        root_fields: root_fields(document, &operation.selection_set),
    }
}

/// (depth, aliases) of a selection set. Fragment results are memoised so
/// a document reusing one fragment many times costs linear time; counts
/// saturate instead of overflowing on alias bombs.
fn set_shape<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    memo: &mut HashMap<&'d str, (usize, usize)>,
) -> (usize, usize) {
    let mut depth = 0;
    let mut aliases = 0usize;
    for selection in &set.selections {
        let (d, a) = match selection {
            Selection::Field(field) => {
                let (d, a) = set_shape(document, &field.selection_set, memo);
                (d + 1, a.saturating_add(usize::from(field.alias.is_some())))
            }
            Selection::InlineFragment(fragment) => {
                set_shape(document, &fragment.selection_set, memo)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.fragment_name.as_str();
                if let Some(known) = memo.get(name) {
                    *known
                } else if let Some(fragment) = document.fragments.get(name) {
                    // Validation rejects fragment cycles; the placeholder
                    // guards against one anyway.
                    memo.insert(name, (0, 0));
                    let shape = set_shape(document, &fragment.selection_set, memo);
                    memo.insert(name, shape);
                    shape
                } else {
                    (0, 0)
                }
            }
        };
        depth = depth.max(d);
        aliases = aliases.saturating_add(a);
    }
    (depth, aliases)
}

fn root_fields(document: &ExecutableDocument, set: &SelectionSet) -> usize {
    set.selections
        .iter()
        .map(|selection| match selection {
            Selection::Field(_) => 1,
            Selection::InlineFragment(fragment) => root_fields(document, &fragment.selection_set),
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.fragment_name)
                .map_or(0, |f| root_fields(document, &f.selection_set)),
        })
        .sum()
}
