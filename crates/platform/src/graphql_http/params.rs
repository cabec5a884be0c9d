//! The parameters of a GraphQL-over-HTTP request, each of the type the
//! specification gives it; anything else is not a well-formed request (400).

use std::collections::HashMap;

use serde_json::Value;

use super::Refusal;

/// `query`, `operationName`, `variables` and `extensions`, checked. `null`
/// is the same as absent (the specification says so); other properties are
/// reserved for future use and ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestParams {
    pub query: Option<String>,
    pub operation_name: Option<String>,
    /// A JSON object, when given.
    pub variables: Option<Value>,
    /// A JSON object, when given.
    pub extensions: Option<Value>,
}

impl RequestParams {
    /// The parameters of a POST body in `application/json`.
    pub fn from_json(body: &[u8]) -> Result<Self, Refusal> {
        let raw: Value = serde_json::from_slice(body).map_err(|e| {
            Refusal::bad_request(format!("The request body is not valid JSON: {e}"))
        })?;
        let Value::Object(mut raw) = raw else {
            return Err(Refusal::bad_request(
                "The request body must be a JSON object with a `query` string",
            ));
        };
        Ok(Self {
            query: string("query", raw.remove("query"))?,
            operation_name: string("operationName", raw.remove("operationName"))?,
            variables: object("variables", raw.remove("variables"))?,
            extensions: object("extensions", raw.remove("extensions"))?,
        })
    }

    /// The parameters of a GET query string, decoded: `variables` and
    /// `extensions` are JSON text; an empty value is the same as absent.
    pub fn from_query(params: &HashMap<String, String>) -> Result<Self, Refusal> {
        let text = |name: &str| params.get(name).filter(|v| !v.is_empty());
        let json = |name: &'static str| -> Result<Option<Value>, Refusal> {
            let Some(raw) = text(name) else {
                return Ok(None);
            };
            let value = serde_json::from_str(raw)
                .map_err(|e| Refusal::bad_request(format!("`{name}` is not JSON: {e}")))?;
            object(name, Some(value))
        };
        Ok(Self {
            query: text("query").cloned(),
            operation_name: text("operationName").cloned(),
            variables: json("variables")?,
            extensions: json("extensions")?,
        })
    }
}

fn string(name: &str, value: Option<Value>) -> Result<Option<String>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(name, "a string", &other)),
    }
}

fn object(name: &str, value: Option<Value>) -> Result<Option<Value>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(map @ Value::Object(_)) => Ok(Some(map)),
        Some(other) => Err(wrong_type(name, "an object", &other)),
    }
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> Refusal {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    Refusal::bad_request(format!("`{name}` must be {expected}, not {got}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: Value) -> Result<RequestParams, String> {
        RequestParams::from_json(body.to_string().as_bytes()).map_err(|r| r.message)
    }

    #[test]
    fn well_formed_bodies_give_their_parameters() {
        assert_eq!(
            parse(json!({"query": "{ a }", "operationName": "A",
                "variables": {"x": 1}, "extensions": {"e": true}, "future": 1})),
            Ok(RequestParams {
                query: Some("{ a }".into()),
                operation_name: Some("A".into()),
                variables: Some(json!({"x": 1})),
                extensions: Some(json!({"e": true})),
            })
        );
        assert_eq!(
            parse(
                json!({"query": "{ a }", "operationName": null, "variables": null,
                "extensions": null})
            ),
            Ok(RequestParams {
                query: Some("{ a }".into()),
                ..Default::default()
            })
        );
    }

    #[test]
    fn parameters_of_the_wrong_type_are_named() {
        let cases = [
            (
                json!({"query": 0}),
                "`query` must be a string, not a number",
            ),
            (
                json!({"query": ["{ a }"]}),
                "`query` must be a string, not an array",
            ),
            (
                json!({"query": "{ a }", "operationName": {"o": 1}}),
                "`operationName` must be a string, not an object",
            ),
            (
                json!({"query": "{ a }", "variables": "{}"}),
                "`variables` must be an object, not a string",
            ),
            (
                json!({"query": "{ a }", "variables": [7]}),
                "`variables` must be an object, not an array",
            ),
            (
                json!({"query": "{ a }", "extensions": false}),
                "`extensions` must be an object, not a boolean",
            ),
            (
                json!([{"query": "{ a }"}]),
                "The request body must be a JSON object with a `query` string",
            ),
            (
                json!("{ a }"),
                "The request body must be a JSON object with a `query` string",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(parse(body.clone()), Err(message.to_owned()), "{body}");
        }
        let bad = RequestParams::from_json(b"{\"query\": ").unwrap_err();
        assert!(
            bad.message
                .starts_with("The request body is not valid JSON"),
            "{bad:?}"
        );
        assert_eq!(bad.status, axum::http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn query_strings_carry_json_variables_and_extensions() {
        let query = |pairs: &[(&str, &str)]| {
            let map = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            RequestParams::from_query(&map).map_err(|r| r.message)
        };
        assert_eq!(
            query(&[
                ("query", "{ a }"),
                ("variables", "{\"x\":1}"),
                ("operationName", "")
            ]),
            Ok(RequestParams {
                query: Some("{ a }".into()),
                variables: Some(json!({"x": 1})),
                ..Default::default()
            })
        );
        assert_eq!(
            query(&[("query", "{ a }"), ("variables", "[1]")]),
            Err("`variables` must be an object, not an array".into())
        );
        assert_eq!(
            query(&[("query", "{ a }"), ("extensions", "\"x\"")]),
            Err("`extensions` must be an object, not a string".into())
        );
        assert!(
            query(&[("variables", "{")])
                .unwrap_err()
                .starts_with("`variables` is not JSON")
        );
    }
}
