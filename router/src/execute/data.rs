//! Operations on the response tree being built: merging subgraph results
//! in and applying the planner's rewrites (finding the objects at a plan
//! path is places.rs).

use super::value::{Object, Text, Value};
use crate::{
    plan::{Rewrite, RewriteStep},
    response::PathSegment,
};

/// Answers "is an object of type `concrete` matched by `condition`?".
pub trait TypeRelations {
    fn satisfies(&self, concrete: &str, condition: &str) -> bool;

    /// Whether `name` is an interface or union (what an `@interfaceObject`
    /// subgraph reports as `__typename`).
    fn is_abstract(&self, _name: &str) -> bool {
        false
    }
}

fn typename(object: &Object) -> Option<&str> {
    object.typename()
}

/// One step of a concrete path in the response tree, its key borrowed from
/// the plan (an owned [`PathSegment`] is only built for an error) and the
/// position the key was found at, tried first when the path is followed
/// again: fields are only ever appended to an object of the tree.
#[derive(Debug, Clone, Copy)]
pub enum At<'p> {
    Key(&'p str, usize),
    Index(usize),
}

// Keys are known by the address of the plan string they borrow: comparing
// their text was most of the cost of grouping paths by prefix. The same
// text at two addresses (two paths of one fetch) only splits a group.
impl PartialEq for At<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (At::Key(a, i), At::Key(b, j)) => std::ptr::eq(*a, *b) && i == j,
            (At::Index(i), At::Index(j)) => i == j,
            _ => false,
        }
    }
}

impl Eq for At<'_> {}

/// The path as errors carry it.
pub fn owned(path: &[At<'_>]) -> Vec<PathSegment> {
    path.iter()
        .map(|step| match step {
            At::Key(key, _) => PathSegment::Key((*key).to_owned()),
            At::Index(i) => PathSegment::Index(*i),
        })
        .collect()
}

/// Merges `source` into `target`: objects key by key, lists of equal length
/// element by element. A `null` never overwrites a value another subgraph
/// already supplied.
pub fn deep_merge(target: &mut Value, source: Value) {
    match (target, source) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(key.as_str()) {
                    Some(existing) => deep_merge(existing, value),
                    None => target.push(key, value),
                }
            }
        }
        (Value::Array(target), Value::Array(source)) if target.len() == source.len() => {
            for (existing, value) in target.iter_mut().zip(source) {
                deep_merge(existing, value);
            }
        }
        (_, Value::Null) => {}
        (target, source) => *target = source,
    }
}

/// Applies the planner's rewrites to a representation or an entity result.
pub fn apply_rewrites(value: &mut Value, rewrites: &[Rewrite], types: &dyn TypeRelations) {
    for rewrite in rewrites {
        let path = match rewrite {
            Rewrite::ValueSetter { path, .. } | Rewrite::KeyRenamer { path, .. } => path,
        };
        apply_at(value, path, rewrite, types);
    }
}

fn apply_at(value: &mut Value, path: &[RewriteStep], rewrite: &Rewrite, types: &dyn TypeRelations) {
    match value {
        Value::Array(items) => {
            for item in items {
                apply_at(item, path, rewrite, types);
            }
        }
        Value::Object(object) => match path.split_first() {
            None => {}
            Some((RewriteStep::TypenameEquals(conditions), rest)) => {
                let matches = typename(object).is_some_and(|concrete| {
                    conditions.iter().any(|c| types.satisfies(concrete, c))
                });
                if matches {
                    apply_at(value, rest, rewrite, types);
                }
            }
            Some((RewriteStep::Key(key), [])) => match rewrite {
                Rewrite::ValueSetter { set_value_to, .. } => {
                    object.insert(Text::new(key), Value::String(Text::new(set_value_to)));
                }
                Rewrite::KeyRenamer { rename_key_to, .. } => {
                    if key != rename_key_to
                        && let Some(moved) = object.remove(key)
                    {
                        object.insert(Text::new(rename_key_to), moved);
                    }
                }
            },
            Some((RewriteStep::Key(key), rest)) => {
                if let Some(child) = object.get_mut(key) {
                    apply_at(child, rest, rewrite, types);
                }
            }
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::test_values::{Exact, json};

    #[test]
    fn deep_merge_keeps_values_that_a_null_would_erase() {
        let mut target = json!({"a": {"b": 1}, "l": [{"x": 1}, {"x": 2}]});
        deep_merge(
            &mut target,
            json!({"a": {"c": 2}, "l": [{"y": 1}, {"y": 2}], "n": null}),
        );
        deep_merge(&mut target, json!({"a": null}));
        assert_eq!(
            target,
            json!({"a": {"b": 1, "c": 2}, "l": [{"x": 1, "y": 1}, {"x": 2, "y": 2}], "n": null})
        );
    }

    #[test]
    fn rewrites_rename_and_set_values_under_type_conditions() {
        let mut value = json!({"__typename": "Book", "__alias_0": "t"});
        apply_rewrites(
            &mut value,
            &[
                Rewrite::KeyRenamer {
                    path: vec![
                        RewriteStep::TypenameEquals(vec!["Book".into()]),
                        RewriteStep::Key("__alias_0".into()),
                    ],
                    rename_key_to: "title".into(),
                },
                Rewrite::ValueSetter {
                    path: vec![RewriteStep::Key("__typename".into())],
                    set_value_to: "Media".into(),
                },
            ],
            &Exact,
        );
        assert_eq!(value, json!({"__typename": "Media", "title": "t"}));
    }
}
