//! Conversions between the response tree and `serde_json`'s values (the
//! client's variables in, errors' extensions and tests out).

use super::{Text, Value};

impl From<&serde_json::Value> for Value {
    fn from(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(Text::new(s)),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (Text::new(k), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&Value> for serde_json::Value {
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(text) => serde_json::Value::String(text.as_str().to_owned()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(serde_json::Value::from).collect())
            }
            Value::Object(object) => serde_json::Value::Object(
                object
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_to_and_from_serde_json_keep_order_and_content() {
        let json = serde_json::json!({"z": 1, "a": {"b": ["x", null, 1.5]}, "e": "\u{1F600}\t"});
        let value = Value::from(&json);
        assert_eq!(serde_json::Value::from(&value), json);
        assert_eq!(
            String::from_utf8({
                let mut out = Vec::new();
                value.write(&mut out);
                out
            })
            .expect("utf-8"),
            serde_json::to_string(&json).expect("json")
        );
    }
}
