//! Entity representations: what an `_entities` call sends for an object,
//! read from it through the fetch's `requires` selection.
//!
//! The same entity sits in many places of a deep answer (the gateway
//! benchmark's 9 products fill 151), and each place asks for the same
//! representation. So the selection is first read as a flat list of
//! borrowed [`Piece`]s, which are hashed and compared without building
//! anything; only a representation not seen before is built as a
//! [`Value`]. Building and dropping every duplicate was a fifth of the
//! router's instructions on that case.

use std::{
    borrow::Borrow,
    hash::{BuildHasher, Hash},
};

use foldhash::HashMap;

use super::{
    data::TypeRelations,
    value::{Object, Text, Value},
};
use crate::plan::Selection;

/// A field a representation needs is not in the object (an earlier fetch
/// failed, or a subgraph answered less than it was asked).
#[derive(Debug, PartialEq)]
pub struct MissingField(pub String);

/// One step of a representation read from an object, borrowing the plan's
/// keys and the object's values.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'p, 'v> {
    /// The key of the field whose value follows.
    Key(&'p str),
    /// A value taken whole.
    Leaf(&'v Value),
    /// An object whose fields follow, up to its `Close`.
    Open,
    Close,
    /// A list of this many items, each as pieces.
    List(usize),
}

// The pieces compared are read through one selection, so a key is known by
// the address of the plan string it was read from: hashing and comparing
// key text was most of the cost. (The same text at two addresses comes
// from two branches of the selection; treating such pieces as different
// only costs a representation sent twice.)
impl Hash for Piece<'_, '_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Piece::Key(key) => key.as_ptr().hash(state),
            Piece::Leaf(value) => value.hash(state),
            Piece::List(len) => len.hash(state),
            Piece::Open | Piece::Close => {}
        }
    }
}

impl PartialEq for Piece<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Piece::Key(a), Piece::Key(b)) => std::ptr::eq(*a, *b),
            (Piece::Leaf(a), Piece::Leaf(b)) => a == b,
            (Piece::List(a), Piece::List(b)) => a == b,
            (Piece::Open, Piece::Open) | (Piece::Close, Piece::Close) => true,
            _ => false,
        }
    }
}

impl Eq for Piece<'_, '_> {}

/// Reads `requires` from `object` into `pieces` (cleared first). Empty
/// pieces mean the selection does not apply to the object's type: the
/// entity is not requested.
pub fn read<'p, 'v>(
    object: &'v Value,
    requires: &'p [Selection],
    types: &dyn TypeRelations,
    pieces: &mut Vec<Piece<'p, 'v>>,
) -> Result<(), MissingField> {
    pieces.clear();
    match object {
        Value::Object(source) => read_fields(source, requires, types, pieces),
        _ => Ok(()),
    }
}

fn read_fields<'p, 'v>(
    source: &'v Object,
    selections: &'p [Selection],
    types: &dyn TypeRelations,
    pieces: &mut Vec<Piece<'p, 'v>>,
) -> Result<(), MissingField> {
    for selection in selections {
        match selection {
            Selection::Field {
                name,
                alias,
                selections,
            } => {
                // `price: _internal_qp_alias_0`: the planner fetched the
                // field under an alias of its own (another `price` with
                // other arguments holds the plain key); the representation
                // names it as the subgraph's `@requires` does.
                let key = alias.as_deref().unwrap_or(name);
                let value = source
                    .get(name)
                    .or_else(|| source.get(key))
                    .ok_or_else(|| MissingField(key.to_owned()))?;
                pieces.push(Piece::Key(key));
                if selections.is_empty() {
                    pieces.push(Piece::Leaf(value));
                } else {
                    read_value(value, selections, types, pieces)?;
                }
            }
            Selection::InlineFragment {
                type_condition,
                selections,
            } => {
                let applies = match source.typename() {
                    Some(concrete) => types.satisfies(concrete, type_condition),
                    None => true,
                };
                if applies {
                    read_fields(source, selections, types, pieces)?;
                }
            }
        }
    }
    Ok(())
}

fn read_value<'p, 'v>(
    value: &'v Value,
    selections: &'p [Selection],
    types: &dyn TypeRelations,
    pieces: &mut Vec<Piece<'p, 'v>>,
) -> Result<(), MissingField> {
    match value {
        Value::Object(source) => {
            pieces.push(Piece::Open);
            read_fields(source, selections, types, pieces)?;
            pieces.push(Piece::Close);
        }
        Value::Array(items) => {
            pieces.push(Piece::List(items.len()));
            for item in items {
                read_value(item, selections, types, pieces)?;
            }
        }
        other => pieces.push(Piece::Leaf(other)),
    }
    Ok(())
}

/// The representation that `pieces` (from [`read`]) describe. A key read
/// twice (through two fragments) holds its last value, once.
pub fn build(pieces: &[Piece<'_, '_>]) -> Value {
    let mut rest = pieces.iter();
    Value::Object(build_fields(&mut rest))
}

/// Fields up to the end or the next `Close` (consumed).
fn build_fields<'a>(rest: &mut impl Iterator<Item = &'a Piece<'a, 'a>>) -> Object {
    let mut object = Object::new();
    while let Some(piece) = rest.next() {
        match piece {
            Piece::Key(key) => {
                let value = build_value(rest);
                object.insert(Text::new(key), value);
            }
            Piece::Close => break,
            // Pieces come from `read`: a value always follows a key.
            Piece::Leaf(_) | Piece::Open | Piece::List(_) => {}
        }
    }
    object
}

fn build_value<'a>(rest: &mut impl Iterator<Item = &'a Piece<'a, 'a>>) -> Value {
    match rest.next() {
        Some(Piece::Leaf(value)) => (*value).clone(),
        Some(Piece::Open) => Value::Object(build_fields(rest)),
        Some(Piece::List(len)) => Value::Array((0..*len).map(|_| build_value(rest)).collect()),
        Some(Piece::Key(_) | Piece::Close) | None => Value::Null,
    }
}

/// The distinct representations of one entity list, in first-seen order,
/// each kept as `K`: its pieces, or the representation itself when a
/// rewrite applies (which may make two objects' representations equal).
pub struct Distinct<K> {
    seen: Vec<K>,
    /// A representation's hash to the first slot with that hash; another
    /// one with the same hash (all but never) is found by a scan.
    index: HashMap<u64, usize>,
}

impl<K> Default for Distinct<K> {
    fn default() -> Self {
        Self {
            seen: Vec::new(),
            index: HashMap::default(),
        }
    }
}

impl<K> Distinct<K> {
    /// The slot of `key`, and whether it is new (the caller then builds
    /// its representation).
    pub fn slot_of<Q>(&mut self, key: &Q) -> (usize, bool)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let hash = self.index.hasher().hash_one(key);
        let found = match self.index.get(&hash) {
            Some(&slot) if *self.seen[slot].borrow() == *key => return (slot, false),
            Some(_) => self.seen.iter().position(|seen| *seen.borrow() == *key),
            None => {
                self.index.insert(hash, self.seen.len());
                None
            }
        };
        match found {
            Some(slot) => (slot, false),
            None => {
                self.seen.push(key.to_owned());
                (self.seen.len() - 1, true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::execute::test_values::{Exact, json};

    fn field(name: &str, selections: Vec<Selection>) -> Selection {
        Selection::Field {
            name: name.into(),
            alias: None,
            selections,
        }
    }

    fn representation(
        object: &Value,
        requires: &[Selection],
    ) -> Result<Option<Value>, MissingField> {
        let mut pieces = Vec::new();
        read(object, requires, &Exact, &mut pieces)?;
        Ok((!pieces.is_empty()).then(|| build(&pieces)))
    }

    #[test]
    fn a_representation_names_the_key_field_an_object_lacks() {
        let requires = vec![Selection::InlineFragment {
            type_condition: "User".into(),
            selections: vec![field("__typename", vec![]), field("id", vec![])],
        }];
        let complete = json!({"__typename": "User", "id": "1", "name": "x"});
        assert_eq!(
            representation(&complete, &requires),
            Ok(Some(json!({"__typename": "User", "id": "1"})))
        );
        let partial = json!({"__typename": "User", "name": "x"});
        assert_eq!(
            representation(&partial, &requires),
            Err(MissingField("id".into()))
        );
        let other = json!({"__typename": "Admin", "id": "1"});
        assert_eq!(representation(&other, &requires), Ok(None));
    }

    #[test]
    fn nested_selections_read_objects_lists_and_nulls() {
        let requires = vec![
            field("id", vec![]),
            field("dims", vec![field("w", vec![]), field("h", vec![])]),
            field("tags", vec![field("name", vec![])]),
            field("maker", vec![field("id", vec![])]),
        ];
        let object = json!({
            "id": 7, "extra": true,
            "dims": {"h": 2, "w": 1, "d": 3},
            "tags": [{"name": "a", "x": 1}, {"name": "b"}],
            "maker": null
        });
        assert_eq!(
            representation(&object, &requires),
            Ok(Some(json!({
                "id": 7, "dims": {"w": 1, "h": 2}, "tags": [{"name": "a"}, {"name": "b"}], "maker": null
            })))
        );
    }

    #[test]
    fn equal_selections_of_different_objects_share_a_slot() {
        let requires = vec![field("id", vec![]), field("tags", vec![field("n", vec![])])];
        let a = json!({"id": 1, "tags": [{"n": 1}], "other": "a"});
        let b = json!({"other": "b", "tags": [{"n": 1, "m": 2}], "id": 1});
        let c = json!({"id": 1, "tags": [{"n": 2}]});
        let mut distinct: Distinct<Vec<Piece<'_, '_>>> = Distinct::default();
        let mut slots = Vec::new();
        for object in [&a, &b, &c, &a] {
            let mut pieces = Vec::new();
            read(object, &requires, &Exact, &mut pieces).expect("complete");
            slots.push(distinct.slot_of(&pieces[..]));
        }
        assert_eq!(slots, [(0, true), (0, false), (1, true), (0, false)]);
    }
}
