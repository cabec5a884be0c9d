//! Automatic persisted queries (Apollo's protocol): a client sends the
//! SHA-256 of a query instead of its text; the first time the router does
//! not know it, the client sends both and the router remembers.

use hyper::StatusCode;
use moka::sync::Cache;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::pipeline::{GraphQLRequest, Outcome};
use crate::response::GraphQLError;

/// Known queries by hash, bounded: a client can register any number of
/// queries, and one whose query was evicted simply sends it again.
pub struct PersistedQueries {
    queries: Cache<String, String>,
}

impl PersistedQueries {
    pub fn new(capacity: usize) -> Self {
        Self {
            queries: Cache::new(capacity.max(1) as u64),
        }
    }

    /// Fills in `request.query` from its persisted-query hash, or stores a
    /// query sent together with its hash.
    pub fn resolve(&self, request: &mut GraphQLRequest) -> Result<(), Outcome> {
        let Some(persisted) = request
            .extensions
            .as_ref()
            .and_then(|e| e.get("persistedQuery"))
        else {
            return Ok(());
        };
        if persisted.get("version").and_then(Value::as_i64) != Some(1) {
            return Err(Outcome::error(
                StatusCode::BAD_REQUEST,
                "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
                "Only version 1 of persisted queries is supported",
            ));
        }
        let Some(hash) = persisted
            .get("sha256Hash")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
        else {
            return Err(Outcome::error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "persistedQuery needs a sha256Hash",
            ));
        };
        match &request.query {
            Some(query) => {
                let actual = hex::encode(Sha256::digest(query.as_bytes()));
                if actual != hash {
                    return Err(Outcome::error(
                        StatusCode::BAD_REQUEST,
                        "PERSISTED_QUERY_HASH_MISMATCH",
                        "provided sha does not match query",
                    ));
                }
                self.queries.insert(hash, query.clone());
                Ok(())
            }
            None => match self.queries.get(&hash) {
                Some(query) => {
                    request.query = Some(query);
                    Ok(())
                }
                // Apollo clients retry with the full query on exactly this
                // message and code, sent with status 200.
                None => Err(Outcome::request_error(
                    StatusCode::OK,
                    vec![
                        GraphQLError::new("PersistedQueryNotFound")
                            .with_code("PERSISTED_QUERY_NOT_FOUND"),
                    ],
                )),
            },
        }
    }
}
