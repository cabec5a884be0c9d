//! The GraphQL response pieces the router produces: errors with paths.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One step of an error path: a response key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathSegment {
    Index(usize),
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A GraphQL error as sent to clients (and as read from subgraphs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphQLError {
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathSegment>>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
}

impl GraphQLError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            locations: Vec::new(),
            path: None,
            extensions: Map::new(),
        }
    }

    pub fn with_code(mut self, code: &str) -> Self {
        self.extensions
            .insert("code".into(), Value::String(code.to_owned()));
        self
    }

    pub fn with_path(mut self, path: Vec<PathSegment>) -> Self {
        self.path = Some(path);
        self
    }

    pub fn with_extension(mut self, key: &str, value: Value) -> Self {
        self.extensions.insert(key.to_owned(), value);
        self
    }

    pub fn code(&self) -> Option<&str> {
        self.extensions.get("code").and_then(Value::as_str)
    }

    /// Reads an error from a subgraph response leniently: a subgraph that
    /// sends a malformed error still gets its message through.
    pub fn from_subgraph_value(value: Value) -> Self {
        match serde_json::from_value::<GraphQLError>(value.clone()) {
            Ok(error) => error,
            Err(_) => {
                let message = value
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("a subgraph returned a malformed error");
                GraphQLError::new(message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn subgraph_errors_keep_their_paths() {
        let error = GraphQLError::from_subgraph_value(json!({
            "message": "x",
            "locations": [{"line": 1, "column": 90}],
            "path": ["_entities", 1, "nickname"]
        }));
        assert_eq!(
            error.path,
            Some(vec![
                PathSegment::Key("_entities".into()),
                PathSegment::Index(1),
                PathSegment::Key("nickname".into())
            ])
        );
    }
}
