//! Operations on the response tree being built: finding the objects at a
//! plan path, merging subgraph results in and applying the planner's
//! rewrites.

use super::value::{Object, Text, Value};
use crate::{
    plan::{PathStep, Rewrite, RewriteStep},
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

/// Every object at `steps`, with its concrete path (keys and indexes).
pub fn collect_objects<'p, 'v>(
    root: &'v Value,
    steps: &'p [PathStep],
    types: &dyn TypeRelations,
) -> Vec<(Vec<At<'p>>, &'v Value)> {
    let mut walk = Walk {
        current: Vec::new(),
        out: Vec::new(),
        hints: vec![0; steps.len()],
        types,
    };
    walk.visit(root, steps);
    walk.out
}

struct Walk<'p, 'v, 't> {
    current: Vec<At<'p>>,
    out: Vec<(Vec<At<'p>>, &'v Value)>,
    /// For each step of the path, where its key was found last: the
    /// objects of one list hold their fields in the same order.
    hints: Vec<usize>,
    types: &'t dyn TypeRelations,
}

impl<'p, 'v> Walk<'p, 'v, '_> {
    fn visit(&mut self, value: &'v Value, steps: &'p [PathStep]) {
        // A list where the path expects an object: visit every element.
        if let Value::Array(items) = value
            && !matches!(steps.first(), Some(PathStep::List))
        {
            self.items(items, steps);
            return;
        }
        match steps.split_first() {
            None => {
                if value.is_object() {
                    self.out.push((self.current.clone(), value));
                }
            }
            Some((PathStep::Field(name), rest)) => {
                let step = self.hints.len() - steps.len();
                let found = value
                    .as_object()
                    .and_then(|o| o.position(name, self.hints[step]));
                if let Some((index, child)) = found {
                    self.hints[step] = index;
                    self.current.push(At::Key(name, index));
                    self.visit(child, rest);
                    self.current.pop();
                }
            }
            Some((PathStep::List, rest)) => {
                if let Value::Array(items) = value {
                    self.items(items, rest);
                }
            }
            Some((PathStep::TypeCondition(conditions), rest)) => {
                let Some(object) = value.as_object() else {
                    return;
                };
                let matches = match typename(object) {
                    Some(concrete) => conditions.iter().any(|c| self.types.satisfies(concrete, c)),
                    None => true,
                };
                if matches {
                    self.visit(value, rest);
                }
            }
        }
    }

    fn items(&mut self, items: &'v [Value], steps: &'p [PathStep]) {
        for (i, item) in items.iter().enumerate() {
            self.current.push(At::Index(i));
            self.visit(item, steps);
            self.current.pop();
        }
    }
}

/// Calls `f` with the object at each of `objects`' paths (and the number
/// paired with it), skipping paths that lead nowhere. Objects listed in the
/// tree's order share their paths' prefixes with their neighbours, and each
/// shared prefix is walked once: a large answer is not in the CPU's caches,
/// and following every path from the root was a cache miss per step (a
/// tenth of the router's time under load).
pub fn for_each_object_mut<'p>(
    root: &mut Value,
    objects: &[(Vec<At<'p>>, usize)],
    mut f: impl FnMut(&mut Value, &[At<'p>], usize),
) {
    descend(root, 0, objects, &mut f);
}

fn descend<'p>(
    value: &mut Value,
    depth: usize,
    objects: &[(Vec<At<'p>>, usize)],
    f: &mut impl FnMut(&mut Value, &[At<'p>], usize),
) {
    let mut i = 0;
    while i < objects.len() {
        let (path, slot) = &objects[i];
        let Some(step) = path.get(depth) else {
            f(value, path, *slot);
            i += 1;
            continue;
        };
        let run = objects[i..]
            .iter()
            .take_while(|(other, _)| other.get(depth) == Some(step))
            .count();
        let child = match step {
            At::Key(key, hint) => value.as_object_mut().and_then(|o| o.get_mut_at(key, *hint)),
            At::Index(index) => value.as_array_mut().and_then(|items| items.get_mut(*index)),
        };
        if let Some(child) = child {
            descend(child, depth + 1, &objects[i..i + run], f);
        }
        i += run;
    }
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
    fn collect_objects_walks_lists_and_type_conditions() {
        let data = json!({"feed": [
            {"__typename": "Book", "id": 1},
            null,
            {"__typename": "Movie", "id": 2},
            {"__typename": "Book", "id": 3}
        ]});
        let path = [
            PathStep::Field("feed".into()),
            PathStep::List,
            PathStep::TypeCondition(vec!["Book".into()]),
        ];
        let found: Vec<_> = collect_objects(&data, &path, &Exact)
            .into_iter()
            .map(|(path, _)| owned(&path))
            .collect();
        let feed = |i| vec![PathSegment::Key("feed".into()), PathSegment::Index(i)];
        assert_eq!(found, vec![feed(0), feed(3)]);
    }

    #[test]
    fn merging_along_paths_reaches_each_object_once_in_order() {
        let mut data = json!({"a": [{"id": 1}, {"id": 2}], "b": {"id": 3}});
        let path = [PathStep::Field("a".into()), PathStep::List];
        let mut objects: Vec<_> = collect_objects(&data, &path, &Exact)
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        let b = [PathStep::Field("b".into())];
        objects.extend(
            collect_objects(&data, &b, &Exact)
                .into_iter()
                .map(|(p, _)| p),
        );
        let objects: Vec<_> = objects.into_iter().zip([7, 8, 9]).collect();
        let mut seen = Vec::new();
        for_each_object_mut(&mut data, &objects, |object, path, n| {
            seen.push((owned(path), n));
            deep_merge(object, json!({"n": n}));
        });
        assert_eq!(seen.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!(
            data,
            json!({"a": [{"id": 1, "n": 7}, {"id": 2, "n": 8}], "b": {"id": 3, "n": 9}})
        );
    }

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
