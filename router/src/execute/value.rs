//! The response tree the executor builds: JSON whose long strings are
//! slices of the subgraph responses they came from and whose short ones
//! are kept inline (no copy of the long, no reference count for the short,
//! and no escaping again on the way out when the subgraph sent them
//! unescaped), and whose objects are short vectors of fields (GraphQL
//! objects have a handful of fields, so a linear scan beats hashing every
//! key, which was a quarter of the router's instructions on large
//! responses).

use std::fmt;

use bytes::Bytes;
use serde_json::Number;

mod convert;
mod parse;

/// A JSON string: its bytes, and whether they must be escaped when written.
#[derive(Clone)]
pub struct Text {
    repr: Repr,
    /// False for text that is valid between JSON quotes as it is (read
    /// without escapes, or checked).
    needs_escape: bool,
}

/// The longest text kept inline.
const INLINE: usize = 22;

/// Short text (names, ids, most keys) is kept inline: copying a few bytes
/// costs less than the atomic reference count of a shared slice, taken on
/// every clone and drop. Longer text shares the subgraph response's bytes.
#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Bytes),
}

impl Repr {
    /// `bytes` inline when short, else from `shared`.
    fn of(bytes: &[u8], shared: impl FnOnce() -> Bytes) -> Self {
        if bytes.len() <= INLINE {
            let mut inline = [0; INLINE];
            inline[..bytes.len()].copy_from_slice(bytes);
            Repr::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            }
        } else {
            Repr::Shared(shared())
        }
    }
}

impl Text {
    pub fn new(text: &str) -> Self {
        Self::checked(Repr::of(text.as_bytes(), || {
            Bytes::copy_from_slice(text.as_bytes())
        }))
    }

    fn checked(repr: Repr) -> Self {
        let mut text = Self {
            repr,
            needs_escape: false,
        };
        text.needs_escape = text
            .bytes()
            .iter()
            .any(|b| *b < 0x20 || *b == b'"' || *b == b'\\');
        text
    }

    fn bytes(&self) -> &[u8] {
        match &self.repr {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Shared(bytes) => bytes,
        }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor takes the bytes of a `str` (`new`
        // and `Seed::text`, which slices a `str`
        // the JSON reader already checked), whole: an inline copy is of
        // all of it too. The fields are private. Checking again was 6% of
        // the router's instructions per request.
        unsafe { std::str::from_utf8_unchecked(self.bytes()) }
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        if self.needs_escape {
            // Writing to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, self.as_str());
        } else {
            out.push(b'"');
            out.extend_from_slice(self.bytes());
            out.push(b'"');
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes().hash(state);
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Text),
    Array(Vec<Value>),
    Object(Object),
}

/// A JSON object: fields in order, found by a linear scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Object(Vec<(Text, Value)>);

impl Object {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The field named `key`, with the key as stored (cloning it shares
    /// its bytes).
    pub fn entry(&self, key: &str) -> Option<(&Text, &Value)> {
        self.0.iter().find(|(k, _)| k == key).map(|(k, v)| (k, v))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The field named `key` and its position, trying `hint` first. On a
    /// large answer the objects are not in the CPU's caches, and scanning
    /// every key before the one wanted is a cache miss per field, whereas
    /// objects of one list, and the same object found again, hold their
    /// fields in the same order.
    pub fn position(&self, key: &str, hint: usize) -> Option<(usize, &Value)> {
        match self.0.get(hint) {
            Some((k, v)) if k == key => Some((hint, v)),
            _ => self
                .0
                .iter()
                .enumerate()
                .find(|(_, (k, _))| k == key)
                .map(|(i, (_, v))| (i, v)),
        }
    }

    /// [`Self::get_mut`], trying position `hint` first (see
    /// [`Self::position`]).
    pub fn get_mut_at(&mut self, key: &str, hint: usize) -> Option<&mut Value> {
        let index = self.position(key, hint)?.0;
        Some(&mut self.0[index].1)
    }

    /// Sets `key`, replacing the value it had.
    pub fn insert(&mut self, key: Text, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => *existing = value,
            None => self.0.push((key, value)),
        }
    }

    /// Adds a field the caller knows is not there yet.
    pub fn push(&mut self, key: Text, value: Value) {
        self.0.push((key, value));
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Text, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn typename(&self) -> Option<&str> {
        self.get("__typename").and_then(Value::as_str)
    }
}

impl IntoIterator for Object {
    type Item = (Text, Value);
    type IntoIter = std::vec::IntoIter<(Text, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(Text, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (Text, Value)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text.as_str()),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Value::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// An integer (of either sign), as GraphQL's `ID` accepts.
    pub fn is_integer(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_i64() || n.is_u64())
    }

    /// Writes the value as JSON text.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Number(n) => {
                let _ = serde_json::to_writer(&mut *out, n);
            }
            Value::String(text) => text.write(out),
            Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Value::Object(object) => Self::write_object(object, out),
        }
    }

    pub fn write_object(object: &Object, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, value)) in object.0.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key.write(out);
            out.push(b':');
            value.write(out);
        }
        out.push(b'}');
    }
}
