//! Scripted subgraphs: a subgraph SDL served by canned replies, for the
//! hostile answers no real GraphQL server would give (an unknown
//! `__typename`, a list where an object is due, a missing key field).

use axum::{Json, Router, extract::State, routing::post};
use serde_json::{Value, json};

use crate::helpers::{Logged, Member, RequestLog};

pub struct ScriptedSubgraph {
    name: String,
    sdl: String,
    replies: Vec<(String, Value)>,
}

impl ScriptedSubgraph {
    pub fn new(name: &str, sdl: &str) -> Self {
        Self {
            name: name.to_owned(),
            sdl: sdl.to_owned(),
            replies: Vec::new(),
        }
    }

    /// Answers `body` to every request whose document contains `marker`
    /// (the first matching reply wins).
    pub fn reply(mut self, marker: &str, body: Value) -> Self {
        self.replies.push((marker.to_owned(), body));
        self
    }

    pub fn into_member(self) -> Member {
        let log = RequestLog::default();
        let app = Router::new()
            .route("/graphql", post(handle))
            .with_state((self.replies, log.clone()));
        Member::new(&self.name, self.sdl, app, log)
    }
}

async fn handle(
    State((replies, log)): State<(Vec<(String, Value)>, RequestLog)>,
    version: axum::http::Version,
    Json(body): Json<Value>,
) -> Json<Value> {
    let query = body["query"].as_str().unwrap_or_default().to_owned();
    let reply = replies
        .iter()
        .find(|(marker, _)| query.contains(marker.as_str()))
        .map(|(_, reply)| reply.clone())
        .unwrap_or_else(
            || json!({"errors": [{"message": format!("no scripted reply for {query}")}]}),
        );
    log.push(Logged {
        version,
        query,
        variables: body.get("variables").cloned().unwrap_or(Value::Null),
        authorization: None,
    });
    Json(reply)
}
