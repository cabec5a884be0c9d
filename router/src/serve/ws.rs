//! Subscriptions over WebSocket on `/graphql`, in both protocols clients
//! use: graphql-transport-ws (`subscribe`/`next`) and the legacy graphql-ws
//! (`start`/`data`). The subscription's root field streams from the owning
//! subgraph; the rest of each event's selection goes through the plan.

use std::{collections::HashMap, net::IpAddr, sync::Arc, time::Duration};

use axum::{
    extract::ws::{Message, WebSocket, WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, header},
    response::Response,
};
use futures::{SinkExt, StreamExt};
use platform::auth::Viewer;
use serde_json::{Map, Value, json};
use tokio::{sync::mpsc, task::AbortHandle};

use super::{
    pipeline::{self, GraphQLRequest, Outcome},
    runtime::Runtime,
};
use crate::{
    edge::rate_limit,
    execute::SubgraphRequest,
    plan::{FetchNode, PlanNode},
    response::GraphQLError,
};

const TRANSPORT_WS: &str = "graphql-transport-ws";
const LEGACY_WS: &str = "graphql-ws";
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    TransportWs,
    Legacy,
}

impl Protocol {
    fn next(self, id: &str, payload: Value) -> Value {
        match self {
            Protocol::TransportWs => json!({"id": id, "type": "next", "payload": payload}),
            Protocol::Legacy => json!({"id": id, "type": "data", "payload": payload}),
        }
    }

    fn error(self, id: &str, errors: Value) -> Value {
        match self {
            Protocol::TransportWs => json!({"id": id, "type": "error", "payload": errors}),
            // graphql-ws carries request errors as a `data` payload.
            Protocol::Legacy => json!({"id": id, "type": "error", "payload": {"errors": errors}}),
        }
    }
}

/// `ip` is the client address of the upgrade request: operations on the
/// socket are rate-limited like HTTP requests from it.
pub fn upgrade(
    runtime: Arc<Runtime>,
    upgrade: WebSocketUpgrade,
    headers: HeaderMap,
    ip: Option<IpAddr>,
) -> Response {
    let upgrade = upgrade.protocols([TRANSPORT_WS, LEGACY_WS]);
    let protocol = match upgrade.selected_protocol().and_then(|p| p.to_str().ok()) {
        Some(LEGACY_WS) => Protocol::Legacy,
        _ => Protocol::TransportWs,
    };
    upgrade.on_upgrade(move |socket| session(socket, runtime, protocol, headers, ip))
}

fn text(value: &Value) -> Message {
    Message::Text(value.to_string().into())
}

/// The `Authorization` subgraphs get for this connection: from the upgrade
/// request, or from `connection_init` (browsers cannot set WebSocket
/// headers, so tokens travel there).
fn authorization(headers: &HeaderMap, init: &Value) -> HeaderMap {
    let mut out = HeaderMap::new();
    let from_payload = ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|key| init.get(*key).and_then(Value::as_str))
        .map(|token| {
            if token.contains(' ') {
                token.to_owned()
            } else {
                format!("Bearer {token}")
            }
        });
    let value = from_payload
        .and_then(|v| HeaderValue::from_str(&v).ok())
        .or_else(|| headers.get(header::AUTHORIZATION).cloned());
    if let Some(value) = value {
        out.insert(header::AUTHORIZATION, value);
    }
    out
}

async fn session(
    socket: WebSocket,
    runtime: Arc<Runtime>,
    protocol: Protocol,
    headers: HeaderMap,
    ip: Option<IpAddr>,
) {
    let (mut sink, mut source) = socket.split();
    // Every writer (this loop and each subscription) goes through one
    // channel, so messages are never interleaved mid-frame.
    let (outgoing, mut queue) = mpsc::channel::<Message>(64);
    let writer = tokio::spawn(async move {
        while let Some(message) = queue.recv().await {
            if let Message::Close(_) = message {
                // Sending fails once the peer has closed; closing the sink
                // still flushes the reply that completes its handshake.
                let _ = sink.send(message).await;
                let _ = sink.close().await;
                break;
            }
            if sink.send(message).await.is_err() {
                break;
            }
        }
    });

    let init = match tokio::time::timeout(INIT_TIMEOUT, source.next()).await {
        Ok(Some(Ok(Message::Text(raw)))) => serde_json::from_str::<Value>(raw.as_str()).ok(),
        _ => None,
    };
    let Some(init) = init.filter(|m| m["type"] == "connection_init") else {
        let _ = outgoing.send(Message::Close(None)).await;
        let _ = writer.await;
        return;
    };
    let forwarded = authorization(&headers, &init["payload"]);
    let token = forwarded
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match super::http::authenticate(&runtime, token).await {
        Ok(viewer) => viewer,
        Err(_) => {
            // graphql-transport-ws: 4403 Forbidden ends the connection.
            let close = axum::extract::ws::CloseFrame {
                code: 4403,
                reason: "Forbidden".into(),
            };
            let _ = outgoing.send(Message::Close(Some(close))).await;
            drop(outgoing);
            let _ = writer.await;
            return;
        }
    };
    let init_payload = init.get("payload").cloned().unwrap_or(Value::Null);
    let _ = outgoing
        .send(text(&json!({"type": "connection_ack"})))
        .await;

    let mut running: HashMap<String, AbortHandle> = HashMap::new();
    while let Some(Ok(message)) = source.next().await {
        let raw = match message {
            Message::Text(raw) => raw,
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(message) = serde_json::from_str::<Value>(raw.as_str()) else {
            break;
        };
        let id = message["id"].as_str().unwrap_or_default().to_owned();
        tracing::debug!(id, kind = ?message["type"], "websocket message");
        match message["type"].as_str() {
            Some("subscribe") | Some("start") => {
                if running.contains_key(&id) && protocol == Protocol::TransportWs {
                    // The protocol says: a duplicate id closes the socket.
                    break;
                }
                let connection = Connection {
                    runtime: runtime.clone(),
                    protocol,
                    headers: forwarded.clone(),
                    viewer: viewer.clone(),
                    ip,
                    init_payload: init_payload.clone(),
                    outgoing: outgoing.clone(),
                };
                let task = tokio::spawn(run_subscription(
                    connection,
                    id.clone(),
                    message["payload"].clone(),
                ));
                running.insert(id, task.abort_handle());
            }
            Some("complete") | Some("stop") => {
                if let Some(task) = running.remove(&id) {
                    task.abort();
                }
            }
            Some("ping") => {
                let _ = outgoing.send(text(&json!({"type": "pong"}))).await;
            }
            Some("connection_terminate") => break,
            _ => {}
        }
        running.retain(|_, task| !task.is_finished());
    }
    for task in running.values() {
        task.abort();
    }
    // Answer (or start) the close handshake, so clients see a clean 1000.
    let _ = outgoing.send(Message::Close(None)).await;
    drop(outgoing);
    let _ = writer.await;
}

fn request_errors(outcome: Outcome) -> Value {
    outcome
        .body
        .into_value()
        .get("errors")
        .cloned()
        .unwrap_or(Value::Array(Vec::new()))
}

/// The subscription's root fetch, and what the rest of each event needs.
fn split_plan(node: Option<&PlanNode>) -> Option<(&FetchNode, Option<PlanNode>)> {
    match node? {
        PlanNode::Subscription { primary } => Some((primary, None)),
        PlanNode::Sequence { nodes } => match nodes.split_first()? {
            (PlanNode::Subscription { primary }, rest) => Some((
                primary,
                Some(PlanNode::Sequence {
                    nodes: rest.to_vec(),
                }),
            )),
            _ => None,
        },
        _ => None,
    }
}

/// What every subscription of one connection shares.
struct Connection {
    runtime: Arc<Runtime>,
    protocol: Protocol,
    /// Forwarded to subgraphs.
    headers: HeaderMap,
    viewer: Option<Viewer>,
    /// The upgrade request's client address, for rate limits.
    ip: Option<IpAddr>,
    init_payload: Value,
    outgoing: mpsc::Sender<Message>,
}

async fn run_subscription(connection: Connection, id: String, payload: Value) {
    let Connection {
        runtime,
        protocol,
        headers,
        viewer,
        ip,
        init_payload,
        outgoing,
    } = connection;
    let request = GraphQLRequest {
        query: payload["query"].as_str().map(str::to_owned),
        operation_name: payload["operationName"].as_str().map(str::to_owned),
        variables: payload.get("variables").cloned(),
        is_get: false,
        forwarded_headers: headers.clone(),
        viewer,
        extensions: None,
    };
    let fail = |errors: Value| text(&protocol.error(&id, errors));
    // Each operation is charged like an HTTP request; a limited one gets
    // its own error and the socket (and its other operations) goes on.
    if let Err(limited) = rate_limit::admit(&runtime, &request, ip).await {
        let _ = outgoing.send(fail(request_errors(limited))).await;
        return;
    }
    let prepared = match pipeline::prepare(&runtime, &request) {
        Ok(prepared) => prepared,
        Err(outcome) => {
            let _ = outgoing.send(fail(request_errors(outcome))).await;
            return;
        }
    };
    if !prepared.operation.operation_type.is_subscription() {
        // Queries and mutations over the socket answer once.
        let outcome = pipeline::execute(&runtime, &prepared, &request.forwarded_headers).await;
        let _ = outgoing
            .send(text(&protocol.next(&id, outcome.body.into_value())))
            .await;
        let _ = outgoing
            .send(text(&json!({"id": id, "type": "complete"})))
            .await;
        return;
    }
    if !pipeline::has_concrete_fields(prepared.planned_operation().1) {
        // The caller may not see the root field: answer with the auth
        // errors once and fetch nothing (a subgraph rejects a subscription
        // that selects only `__typename`).
        let outcome = pipeline::respond(&runtime, &prepared, &Value::Null, Vec::new());
        let _ = outgoing
            .send(text(&protocol.next(&id, outcome.body.into_value())))
            .await;
        let _ = outgoing
            .send(text(&json!({"id": id, "type": "complete"})))
            .await;
        return;
    }
    let plan = match pipeline::plan(&runtime, &prepared) {
        Ok(plan) => plan,
        Err(outcome) => {
            let _ = outgoing.send(fail(request_errors(outcome))).await;
            return;
        }
    };
    tracing::debug!(id, plan = %plan, "subscription planned");
    let Some((primary, rest)) = split_plan(plan.node.as_ref()) else {
        let error = GraphQLError::new("The subscription could not be planned")
            .with_code("QUERY_PLANNING_FAILED");
        let _ = outgoing.send(fail(json!([error]))).await;
        return;
    };
    let variables: Map<String, Value> = primary
        .variable_usages
        .iter()
        .filter_map(|name| Some((name.clone(), prepared.variables.get(name)?.clone())))
        .collect();
    let upstream = runtime
        .executor
        .client
        .subscribe(
            &primary.service_name,
            SubgraphRequest {
                query: primary.operation.as_str().into(),
                variables,
                headers: headers.clone(),
                idempotent: false,
            },
            init_payload,
        )
        .await;
    let mut events = match upstream {
        Ok(events) => events,
        Err(e) => {
            tracing::warn!(service = %primary.service_name, error = %e, "subscribing to the subgraph failed");
            let error =
                GraphQLError::new(format!("Subgraph '{}' failed: {e}", primary.service_name))
                    .with_code(e.code());
            let _ = outgoing.send(fail(json!([error]))).await;
            return;
        }
    };
    tracing::debug!(id, service = %primary.service_name, "subscribed upstream");
    while let Some(event) = events.next().await {
        tracing::debug!(id, "subscription event");
        let body = match event {
            Ok(event) => {
                let output = runtime
                    .executor
                    .execute_from(
                        rest.as_ref(),
                        event.data.unwrap_or(Value::Null),
                        &prepared.variables,
                        &headers,
                    )
                    .await;
                let mut errors = event.errors;
                errors.extend(output.errors);
                pipeline::respond(&runtime, &prepared, &output.data, errors)
                    .body
                    .into_value()
            }
            Err(e) => {
                let error =
                    GraphQLError::new(format!("Subgraph '{}' failed: {e}", primary.service_name))
                        .with_code(e.code());
                json!({"data": null, "errors": [error]})
            }
        };
        if outgoing
            .send(text(&protocol.next(&id, body)))
            .await
            .is_err()
        {
            return;
        }
    }
    let _ = outgoing
        .send(text(&json!({"id": id, "type": "complete"})))
        .await;
}
