//! Reading a subgraph's JSON into a [`Value`] whose strings without
//! escapes slice the body they were read from.

use std::fmt;

use bytes::Bytes;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

use super::{Object, Repr, Text, Value};

impl Value {
    /// Reads a JSON text; strings without escapes stay slices of `bytes`.
    pub fn parse(bytes: &Bytes) -> Result<Value, serde_json::Error> {
        // One UTF-8 check of the whole text is cheaper than the reader's
        // check of every string in it (5% of the router's instructions).
        let text = std::str::from_utf8(bytes)
            .map_err(|e| <serde_json::Error as de::Error>::custom(format!("not UTF-8: {e}")))?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = Seed(bytes).deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    }
}

/// Deserializes a [`Value`] whose unescaped strings borrow from the buffer
/// being read.
struct Seed<'b>(&'b Bytes);

impl Seed<'_> {
    fn text(&self, s: &str) -> Text {
        Text {
            repr: Repr::of(s.as_bytes(), || self.0.slice_ref(s.as_bytes())),
            needs_escape: false,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    /// A string without escapes, in the buffer itself: slice it.
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value, E> {
        // A string read without escapes from a JSON text needs none.
        Ok(Value::String(self.text(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(Text::new(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Seed(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
            let value = map.next_value_seed(Seed(self.0))?;
            fields.push((key, value));
        }
        Ok(Value::Object(Object(fields)))
    }
}

/// An object key, as a [`Text`] slicing the buffer when it can.
struct KeySeed<'b>(&'b Bytes);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Text;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text, E> {
        Ok(Seed(self.0).text(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Text, E> {
        Ok(Text::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_read_without_escapes_are_slices_written_back_unchanged() {
        let json = r#"{"a":"a plain string longer than inline text","s":"short","b":"say \"hi\"\n","c":[1,-2,2.5,true,null]}"#;
        let body = Bytes::from_static(json.as_bytes());
        let value = Value::parse(&body).expect("parses");
        let Some(Value::String(plain)) = value.get("a") else {
            panic!("a string");
        };
        assert!(!plain.needs_escape);
        let Repr::Shared(shared) = &plain.repr else {
            panic!("a long string is a slice");
        };
        assert_eq!(shared.as_ptr(), body[6..].as_ptr());
        let Some(Value::String(short)) = value.get("s") else {
            panic!("a string");
        };
        assert!(matches!(short.repr, Repr::Inline { len: 5, .. }));
        assert_eq!(short, &Text::new("short"));
        assert_eq!(value.get("b").and_then(Value::as_str), Some("say \"hi\"\n"));
        let mut out = Vec::new();
        value.write(&mut out);
        assert_eq!(String::from_utf8(out).expect("utf-8"), json);
    }

    #[test]
    fn trailing_garbage_and_non_finite_numbers_are_refused() {
        assert!(Value::parse(&Bytes::from_static(b"{} x")).is_err());
        assert!(Value::parse(&Bytes::from_static(b"[1e999]")).is_err());
    }
}
