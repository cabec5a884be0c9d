//! One operation of a socket, run as its own task: queries and mutations
//! answer once; a subscription's events come from the executor (which
//! streams the root field from its subgraph and runs the rest of the plan
//! on each) and are projected here.
//! Everything it says goes to the session as [`Emitted`] events, its last
//! one `Complete` or `Error`.

use std::{net::IpAddr, panic::AssertUnwindSafe, sync::Arc};

use axum::http::HeaderMap;
use futures::{FutureExt, StreamExt};
use platform::auth::Viewer;
use serde_json::{Value, json};
use tokio::{sync::mpsc, task::AbortHandle};

use super::dialect::{Event, SubscribePayload};
use crate::{
    plan::AnswerSize,
    response::GraphQLError,
    serve::{
        admission, introspection,
        pipeline::{self, GraphQLRequest, Outcome},
        runtime::Runtime,
    },
};

/// What every operation of one socket shares.
pub(super) struct Connection {
    pub runtime: Arc<Runtime>,
    /// Forwarded to subgraphs.
    pub headers: HeaderMap,
    pub viewer: Option<Viewer>,
    /// The upgrade request's client address, for rate limits.
    pub ip: Option<IpAddr>,
    /// `connection_init`'s payload, passed on to subgraph subscriptions.
    pub init_payload: Value,
}

/// An event of operation `id`, run `seq`: the session drops events of a
/// run it no longer tracks (completed by the client, or replaced).
pub(super) struct Emitted {
    pub id: Arc<str>,
    pub seq: u64,
    pub event: Event,
}

struct Emitter {
    id: Arc<str>,
    seq: u64,
    events: mpsc::Sender<Emitted>,
}

impl Emitter {
    /// `false` once the session is gone.
    async fn send(&self, event: Event) -> bool {
        let emitted = Emitted {
            id: self.id.clone(),
            seq: self.seq,
            event,
        };
        self.events.send(emitted).await.is_ok()
    }
}

/// Starts operation `id`; abort the handle to stop it.
pub(super) fn spawn(
    connection: Arc<Connection>,
    id: Arc<str>,
    seq: u64,
    payload: SubscribePayload,
    events: mpsc::Sender<Emitted>,
) -> AbortHandle {
    tokio::spawn(async move {
        let emitter = Emitter { id, seq, events };
        // A panic would leave the client waiting and the id taken.
        let last = AssertUnwindSafe(run(&connection, payload, &emitter))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                tracing::error!(id = %emitter.id, "a WebSocket operation panicked");
                let error = GraphQLError::new("Internal server error").with_code("INTERNAL");
                Event::Error(json!([error]))
            });
        emitter.send(last).await;
    })
    .abort_handle()
}

fn request_errors(outcome: Outcome) -> Event {
    let errors = outcome
        .body
        .into_value()
        .get("errors")
        .cloned()
        .unwrap_or(Value::Array(Vec::new()));
    Event::Error(errors)
}

/// Runs the operation; returns its last event.
async fn run(connection: &Connection, payload: SubscribePayload, emitter: &Emitter) -> Event {
    let runtime = &connection.runtime;
    let request = GraphQLRequest {
        query: Some(payload.query),
        operation_name: payload.operation_name,
        variables: payload.variables.map(Value::Object),
        is_get: false,
        forwarded_headers: connection.headers.clone(),
        viewer: connection.viewer.clone(),
        extensions: payload.extensions.map(Value::Object),
    };
    // Each operation is charged like an HTTP request; a limited one gets
    // its own error and the socket (and its other operations) goes on.
    let prepared = pipeline::prepare(runtime, &request);
    let viewer = request.viewer.as_ref();
    let prepared = match admission::admit(runtime, prepared, viewer, connection.ip).await {
        Ok(prepared) => prepared,
        Err(outcome) => return request_errors(outcome),
    };
    if !prepared.operation.operation_type.is_subscription() {
        // Queries and mutations over the socket answer once.
        let outcome = pipeline::execute(runtime, &prepared, &request.forwarded_headers).await;
        emitter.send(Event::Next(outcome.body.into_value())).await;
        return Event::Complete;
    }
    if !introspection::has_concrete_fields(prepared.planned_operation().1) {
        // The caller may not see the root field: answer with the auth
        // errors (the projection raises them) once and fetch nothing (a
        // subgraph rejects a subscription that selects only `__typename`).
        let outcome = pipeline::respond(
            runtime,
            &prepared,
            &crate::execute::Value::Null,
            Vec::new(),
            &AnswerSize::default(),
        );
        emitter.send(Event::Next(outcome.body.into_value())).await;
        return Event::Complete;
    }
    let plan = match pipeline::plan(runtime, &prepared) {
        Ok(plan) => plan,
        Err(outcome) => return request_errors(outcome),
    };
    tracing::debug!(id = %emitter.id, plan = %plan, "subscription planned");
    let events = runtime
        .executor
        .subscribe(
            &plan,
            &prepared.variables,
            &connection.headers,
            connection.init_payload.clone(),
        )
        .await;
    let mut events = match events {
        Ok(events) => std::pin::pin!(events),
        Err(error) => return Event::Error(json!([error])),
    };
    tracing::debug!(id = %emitter.id, "subscribed upstream");
    while let Some(event) = events.next().await {
        let body = match event {
            Ok(output) => pipeline::respond(
                runtime,
                &prepared,
                &output.data,
                output.errors,
                &plan.answer_size,
            )
            .body
            .into_value(),
            Err(error) => json!({"data": null, "errors": [error]}),
        };
        if !emitter.send(Event::Next(body)).await {
            break;
        }
    }
    Event::Complete
}
