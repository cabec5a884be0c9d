//! The objects an entity fetch stands for, found at its plan paths and
//! kept as the walk that reaches them: the trie of their paths, written
//! out in the tree's order. Merging the fetch's answer replays that walk,
//! so each step shared by several objects is taken once. Following each
//! object's path from the root instead compared every step of every path
//! (6% of the router's instructions on the gateway benchmark), and every
//! step was a cache miss: the tree has left the CPU's caches while the
//! fetch was out.

use super::{
    data::{At, TypeRelations},
    value::Value,
};
use crate::plan::PathStep;

/// One step of the walk, taken from the object reached after the steps
/// before it at depths below its own (a `Key` or `Index` leads one deeper).
/// 24 bytes: the walk of a deep answer has thousands.
#[derive(Debug, Clone, Copy)]
struct Step<'p> {
    depth: u32,
    kind: Kind<'p>,
}

#[derive(Debug, Clone, Copy)]
enum Kind<'p> {
    /// Into the field, found last at this position (tried first).
    Key(&'p String, u32),
    /// Into the list's item.
    Index(u32),
    /// The object here stands for the number given (its representation).
    Here(u32),
}

/// The objects found, each with the number [`Places::collect`]'s caller
/// gave it.
#[derive(Debug, Default)]
pub struct Places<'p> {
    steps: Vec<Step<'p>>,
    count: usize,
}

impl<'p> Places<'p> {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Finds every object at `path` in `root` and offers each to `keep`
    /// with its concrete path; the objects it gives a number are added.
    pub fn collect<'v>(
        &mut self,
        root: &'v Value,
        path: &'p [PathStep],
        types: &dyn TypeRelations,
        keep: &mut dyn FnMut(&[At<'p>], &'v Value) -> Option<usize>,
    ) {
        let mut walk = Walk {
            current: Vec::new(),
            kinds: Vec::new(),
            opened: 0,
            hints: vec![0; path.len()],
            types,
            places: self,
            keep,
        };
        walk.visit(root, path);
    }

    /// The number each object was given, in the tree's order.
    pub fn numbers(&self) -> impl Iterator<Item = usize> + '_ {
        self.steps.iter().filter_map(|step| match step.kind {
            Kind::Here(n) => Some(n as usize),
            _ => None,
        })
    }

    /// Every object's path and number, in the tree's order (for errors:
    /// merging does not need the paths whole).
    pub fn paths(&self) -> Vec<(Vec<At<'p>>, usize)> {
        let mut current = Vec::new();
        let mut out = Vec::new();
        for step in &self.steps {
            current.truncate(step.depth as usize);
            match step.kind {
                Kind::Here(n) => out.push((current.clone(), n as usize)),
                kind => current.push(at(kind)),
            }
        }
        out
    }

    /// Calls `f` with each object (still there: a path that leads nowhere
    /// now is skipped), its path and its number, in the tree's order.
    pub fn for_each_mut(&self, root: &mut Value, mut f: impl FnMut(&mut Value, &[At<'p>], usize)) {
        let mut replay = Replay {
            steps: &self.steps,
            next: 0,
            path: Vec::new(),
        };
        replay.run(root, 0, &mut f);
    }
}

fn at(kind: Kind<'_>) -> At<'_> {
    match kind {
        Kind::Key(key, hint) => At::Key(key, hint as usize),
        Kind::Index(i) | Kind::Here(i) => At::Index(i as usize),
    }
}

struct Replay<'s, 'p> {
    steps: &'s [Step<'p>],
    next: usize,
    path: Vec<At<'p>>,
}

impl<'p> Replay<'_, 'p> {
    /// Takes the steps from `value`, at `depth`, until one belongs higher.
    fn run(
        &mut self,
        value: &mut Value,
        depth: u32,
        f: &mut impl FnMut(&mut Value, &[At<'p>], usize),
    ) {
        while let Some(step) = self.steps.get(self.next) {
            if step.depth < depth {
                return;
            }
            self.next += 1;
            let child = match step.kind {
                Kind::Here(n) => {
                    f(value, &self.path, n as usize);
                    continue;
                }
                Kind::Key(key, hint) => value
                    .as_object_mut()
                    .and_then(|o| o.get_mut_at(key, hint as usize)),
                Kind::Index(index) => value
                    .as_array_mut()
                    .and_then(|items| items.get_mut(index as usize)),
            };
            self.path.push(at(step.kind));
            match child {
                Some(child) => self.run(child, depth + 1, f),
                // Gone since the walk: what was below goes too.
                None => {
                    while self.steps.get(self.next).is_some_and(|s| s.depth > depth) {
                        self.next += 1;
                    }
                }
            }
            self.path.pop();
        }
    }
}

struct Walk<'p, 'v, 'w> {
    current: Vec<At<'p>>,
    /// `current` as steps.
    kinds: Vec<Kind<'p>>,
    /// How many steps of `current` are written out: only those that lead
    /// to an object kept.
    opened: usize,
    /// For each step of the path, where its key was found last: the
    /// objects of one list hold their fields in the same order.
    hints: Vec<usize>,
    types: &'w dyn TypeRelations,
    places: &'w mut Places<'p>,
    keep: &'w mut dyn FnMut(&[At<'p>], &'v Value) -> Option<usize>,
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
                    self.found(value);
                }
            }
            Some((PathStep::Field(name), rest)) => {
                let step = self.hints.len() - steps.len();
                let found = value
                    .as_object()
                    .and_then(|o| o.position(name, self.hints[step]));
                if let Some((index, child)) = found {
                    self.hints[step] = index;
                    self.down(At::Key(name, index), Kind::Key(name, index as u32));
                    self.visit(child, rest);
                    self.up();
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
                let matches = match object.typename() {
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
            self.down(At::Index(i), Kind::Index(i as u32));
            self.visit(item, steps);
            self.up();
        }
    }

    fn down(&mut self, at: At<'p>, kind: Kind<'p>) {
        self.current.push(at);
        self.kinds.push(kind);
    }

    fn up(&mut self) {
        self.current.pop();
        self.kinds.pop();
        self.opened = self.opened.min(self.current.len());
    }

    fn found(&mut self, object: &'v Value) {
        let Some(n) = (self.keep)(&self.current, object) else {
            return;
        };
        let depth = self.current.len();
        let unopened = (self.opened..depth).map(|d| Step {
            depth: d as u32,
            kind: self.kinds[d],
        });
        self.places.steps.extend(unopened);
        self.opened = depth;
        self.places.steps.push(Step {
            depth: depth as u32,
            kind: Kind::Here(n as u32),
        });
        self.places.count += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        execute::{
            data::{deep_merge, owned},
            test_values::{Exact, json},
        },
        response::PathSegment,
    };

    #[test]
    fn objects_are_found_through_lists_and_type_conditions() {
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
        let mut places = Places::default();
        places.collect(&data, &path, &Exact, &mut |_, _| Some(0));
        let found: Vec<_> = places.paths().iter().map(|(p, _)| owned(p)).collect();
        let feed = |i| vec![PathSegment::Key("feed".into()), PathSegment::Index(i)];
        assert_eq!(found, vec![feed(0), feed(3)]);
    }

    #[test]
    fn each_shared_step_is_written_once_and_objects_not_kept_leave_no_steps() {
        let data = json!({"a": [{"b": {"id": 1}}, {"b": {"id": 2}}, {"c": 1}]});
        let path = [
            PathStep::Field("a".into()),
            PathStep::List,
            PathStep::Field("b".into()),
        ];
        let mut places = Places::default();
        places.collect(&data, &path, &Exact, &mut |_, object| {
            (object.get("id") == Some(&json!(2))).then_some(7)
        });
        let shape: Vec<_> = places
            .steps
            .iter()
            .map(|step| match step.kind {
                Kind::Here(n) => (step.depth, format!("here {n}")),
                kind => (step.depth, format!("{:?}", owned(&[at(kind)]))),
            })
            .collect();
        let shape: Vec<_> = shape.iter().map(|(d, s)| (*d, s.as_str())).collect();
        assert_eq!(
            shape,
            [
                (0, r#"[Key("a")]"#),
                (1, "[Index(1)]"),
                (2, r#"[Key("b")]"#),
                (3, "here 7"),
            ]
        );
        assert_eq!(places.numbers().collect::<Vec<_>>(), [7]);
    }

    #[test]
    fn merging_along_the_walk_reaches_each_object_once_in_order() {
        let mut data = json!({"a": [{"id": 1}, {"id": 2}], "b": {"id": 3}, "c": [{"id": 4}]});
        let mut places = Places::default();
        let mut next = 6;
        let mut number = |_: &[At<'_>], _: &Value| {
            next += 1;
            Some(next)
        };
        let a = [PathStep::Field("a".into()), PathStep::List];
        let b = [PathStep::Field("b".into())];
        let c = [PathStep::Field("c".into()), PathStep::List];
        places.collect(&data, &a, &Exact, &mut number);
        places.collect(&data, &b, &Exact, &mut number);
        places.collect(&data, &c, &Exact, &mut number);
        // What a parallel branch does meanwhile: `c` is no longer a list.
        deep_merge(&mut data, json!({"c": "gone"}));
        let mut seen = Vec::new();
        places.for_each_mut(&mut data, |object, path, n| {
            seen.push((owned(path), n));
            deep_merge(object, json!({"n": n}));
        });
        let key = |k: &str| PathSegment::Key(k.into());
        assert_eq!(
            seen,
            [
                (vec![key("a"), PathSegment::Index(0)], 7),
                (vec![key("a"), PathSegment::Index(1)], 8),
                (vec![key("b")], 9),
            ]
        );
        assert_eq!(
            data,
            json!({"a": [{"id": 1, "n": 7}, {"id": 2, "n": 8}], "b": {"id": 3, "n": 9}, "c": "gone"})
        );
    }
}
