//! What handling a request answers: an HTTP status and a JSON body.

use hyper::StatusCode;
use serde_json::{Value, json};

use crate::response::GraphQLError;

/// The HTTP status and JSON body to answer with.
#[derive(Debug)]
pub struct Outcome {
    pub status: StatusCode,
    pub body: ResponseBody,
    /// The name of the operation that ran, once known (for metrics).
    pub operation: Option<String>,
}

/// A response body: a JSON value (request errors), or the JSON text the
/// projection wrote (executed operations, so always with `data`), sent as
/// it is.
#[derive(Debug)]
pub enum ResponseBody {
    Value(Value),
    Text { json: String, has_errors: bool },
}

impl ResponseBody {
    /// Whether the body has a `data` key: whether execution ran (the
    /// status rule of `application/graphql-response+json` turns on it).
    pub fn has_data(&self) -> bool {
        match self {
            ResponseBody::Value(value) => value.get("data").is_some(),
            ResponseBody::Text { .. } => true,
        }
    }

    /// Whether the body has an `errors` key.
    pub fn has_errors(&self) -> bool {
        match self {
            ResponseBody::Value(value) => value.get("errors").is_some(),
            ResponseBody::Text { has_errors, .. } => *has_errors,
        }
    }

    /// The body as a value (to embed it in a WebSocket message).
    pub fn into_value(self) -> Value {
        match self {
            ResponseBody::Value(value) => value,
            ResponseBody::Text { json, .. } => serde_json::from_str(&json).unwrap_or(Value::Null),
        }
    }
}

impl Outcome {
    /// A request error: no `data` key at all.
    pub fn request_error(status: StatusCode, errors: Vec<GraphQLError>) -> Self {
        Self {
            status,
            body: ResponseBody::Value(json!({ "errors": errors })),
            operation: None,
        }
    }

    pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self::request_error(status, vec![GraphQLError::new(message).with_code(code)])
    }
}
