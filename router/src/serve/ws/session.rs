//! One socket from upgrade to close, in either protocol (its [`Dialect`]
//! says what to answer): wait for `connection_init` (within the configured
//! time), authenticate, acknowledge, then serve operations, each its own
//! task, up to the configured number at once.
//!
//! Only the session writes to the socket: operations send it their events,
//! and it forwards those of operations it still tracks. So once a client's
//! `complete`/`stop` is handled nothing more of that operation goes out,
//! and an id is free again before its client sees the last message.

use std::{collections::HashMap, net::IpAddr, sync::Arc, time::Duration};

use axum::{
    extract::ws::{CloseFrame, Message, WebSocket},
    http::{HeaderMap, HeaderValue, header},
};
use futures::SinkExt;
use serde_json::{Map, Value, json};
use tokio::{
    sync::mpsc,
    task::AbortHandle,
    time::{Instant, Interval, MissedTickBehavior},
};

use super::{
    dialect::{self, ClientMessage, Dialect, Event, Reply},
    operation::{self, Connection, Emitted},
};
use crate::{response::GraphQLError, serve::runtime::Runtime};

/// What came off the socket.
enum Incoming {
    Message(ClientMessage),
    Invalid(dialect::Invalid),
    /// The client closed the socket, or it broke.
    Gone,
}

async fn receive(socket: &mut WebSocket, dialect: &dyn Dialect) -> Incoming {
    loop {
        let parsed = match socket.recv().await {
            Some(Ok(Message::Text(text))) => dialect.parse(text.as_bytes()),
            // The reference server reads binary frames as text too.
            Some(Ok(Message::Binary(bytes))) => dialect.parse(&bytes),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Close(_)) | Err(_)) | None => return Incoming::Gone,
        };
        return match parsed {
            Ok(message) => Incoming::Message(message),
            Err(invalid) => Incoming::Invalid(invalid),
        };
    }
}

/// Whether the socket is still open after a reply.
#[must_use]
enum Flow {
    Open,
    Closed,
}

async fn send(socket: &mut WebSocket, message: &Value) -> Flow {
    match socket.send(Message::Text(message.to_string().into())).await {
        Ok(()) => Flow::Open,
        Err(_) => Flow::Closed,
    }
}

/// Sends the close frame and ends the connection.
async fn close(socket: &mut WebSocket, frame: Option<CloseFrame>) {
    // Sending fails once the peer has closed; closing the sink still
    // flushes the reply that completes its handshake.
    let _ = socket.send(Message::Close(frame)).await;
    let _ = socket.close().await;
}

async fn reply(socket: &mut WebSocket, reply: Reply) -> Flow {
    if let Some(message) = &reply.message
        && let Flow::Closed = send(socket, message).await
    {
        return Flow::Closed;
    }
    match reply.close {
        Some((code, reason)) => {
            let frame = CloseFrame {
                code,
                reason: reason.as_ref().into(),
            };
            close(socket, Some(frame)).await;
            Flow::Closed
        }
        None => Flow::Open,
    }
}

/// `ip` is the client address of the upgrade request: operations on the
/// socket are rate-limited like HTTP requests from it.
pub(super) async fn run(
    mut socket: WebSocket,
    runtime: Arc<Runtime>,
    dialect: &'static dyn Dialect,
    headers: HeaderMap,
    ip: Option<IpAddr>,
) {
    let settings = runtime.config.websocket.clone();
    let deadline = Instant::now() + Duration::from_millis(settings.connection_init_timeout_ms);
    let Some(init_payload) = wait_for_init(&mut socket, dialect, deadline).await else {
        return;
    };
    let forwarded = authorization(&headers, init_payload.as_ref());
    let token = forwarded
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match crate::serve::http::authenticate(&runtime, token).await {
        Ok(viewer) => viewer,
        Err(outcome) => {
            let body = outcome.body.into_value();
            let why = body["errors"][0]["message"].as_str().unwrap_or("Forbidden");
            let _ = reply(&mut socket, dialect.refused(why)).await;
            return;
        }
    };
    if let Flow::Closed = send(&mut socket, &dialect::ack()).await {
        return;
    }
    let mut keep_alive = match dialect.keep_alive() {
        Some(message) if settings.keep_alive_interval_ms > 0 => {
            if let Flow::Closed = send(&mut socket, &message).await {
                return;
            }
            Some(KeepAlive::new(message, settings.keep_alive_interval_ms))
        }
        _ => None,
    };
    let connection = Arc::new(Connection {
        runtime,
        headers: forwarded,
        viewer,
        ip,
        init_payload: init_payload.map_or(Value::Null, Value::Object),
    });
    let mut operations = Operations::new(connection, settings.max_subscriptions_per_socket);
    loop {
        let flow = tokio::select! {
            incoming = receive(&mut socket, dialect) => match incoming {
                Incoming::Message(message) => {
                    operations.handle(&mut socket, dialect, message).await
                }
                Incoming::Invalid(invalid) => reply(&mut socket, dialect.invalid(invalid)).await,
                Incoming::Gone => {
                    // Answer the close handshake, so clients see a clean close.
                    close(&mut socket, None).await;
                    Flow::Closed
                }
            },
            Some(emitted) = operations.events.recv() => match operations.forward(emitted) {
                Some((id, event)) => send(&mut socket, &dialect.event(&id, event)).await,
                None => Flow::Open,
            },
            message = next_keep_alive(&mut keep_alive) => send(&mut socket, &message).await,
        };
        if let Flow::Closed = flow {
            break;
        }
    }
    operations.stop_all();
}

/// The protocol's keep-alive message, due every period after the first.
struct KeepAlive {
    ticks: Interval,
    message: Value,
}

impl KeepAlive {
    fn new(message: Value, period_ms: u64) -> Self {
        let period = Duration::from_millis(period_ms);
        let mut ticks = tokio::time::interval_at(Instant::now() + period, period);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Self { ticks, message }
    }
}

/// The next keep-alive when it is due; never without keep-alives.
async fn next_keep_alive(keep_alive: &mut Option<KeepAlive>) -> Value {
    match keep_alive {
        Some(keep_alive) => {
            keep_alive.ticks.tick().await;
            keep_alive.message.clone()
        }
        None => std::future::pending().await,
    }
}

/// Reads until `connection_init`; `None` when the socket closed first (or
/// was closed for a broken rule, or the deadline).
async fn wait_for_init(
    socket: &mut WebSocket,
    dialect: &dyn Dialect,
    deadline: Instant,
) -> Option<Option<Map<String, Value>>> {
    loop {
        let incoming = tokio::select! {
            incoming = receive(socket, dialect) => incoming,
            () = tokio::time::sleep_until(deadline) => {
                let _ = reply(socket, dialect.init_timeout()).await;
                return None;
            }
        };
        let flow = match incoming {
            Incoming::Message(ClientMessage::Init(payload)) => return Some(payload),
            Incoming::Message(ClientMessage::Ping(payload)) => {
                send(socket, &dialect::pong(payload)).await
            }
            Incoming::Message(ClientMessage::Pong | ClientMessage::Stop { .. }) => Flow::Open,
            Incoming::Message(ClientMessage::Subscribe { id, .. }) => {
                reply(socket, dialect.unauthorized(&id)).await
            }
            Incoming::Message(ClientMessage::Terminate) => {
                close(socket, Some(normal_closure())).await;
                Flow::Closed
            }
            Incoming::Invalid(invalid) => reply(socket, dialect.invalid(invalid)).await,
            Incoming::Gone => Flow::Closed,
        };
        if let Flow::Closed = flow {
            return None;
        }
    }
}

fn normal_closure() -> CloseFrame {
    CloseFrame {
        code: 1000,
        reason: "".into(),
    }
}

/// The operations running on one socket.
struct Operations {
    connection: Arc<Connection>,
    max: usize,
    running: HashMap<Arc<str>, Running>,
    /// Numbers each run, so events of a stopped run are told apart from
    /// those of a later run with the same id.
    next_seq: u64,
    emitter: mpsc::Sender<Emitted>,
    events: mpsc::Receiver<Emitted>,
}

struct Running {
    seq: u64,
    task: AbortHandle,
}

impl Operations {
    fn new(connection: Arc<Connection>, max: usize) -> Self {
        let (emitter, events) = mpsc::channel(64);
        Self {
            connection,
            max,
            running: HashMap::new(),
            next_seq: 0,
            emitter,
            events,
        }
    }

    async fn handle(
        &mut self,
        socket: &mut WebSocket,
        dialect: &dyn Dialect,
        message: ClientMessage,
    ) -> Flow {
        match message {
            ClientMessage::Init(_) => reply(socket, dialect.init_again()).await,
            ClientMessage::Ping(payload) => send(socket, &dialect::pong(payload)).await,
            ClientMessage::Pong => Flow::Open,
            ClientMessage::Subscribe { id, payload } => {
                let id: Arc<str> = id.into();
                if self.running.contains_key(&id) {
                    if let Some(refusal) = dialect.duplicate(&id) {
                        return reply(socket, refusal).await;
                    }
                    self.stop(&id);
                }
                if self.running.len() >= self.max {
                    let error = GraphQLError::new(format!(
                        "Too many operations on this socket: at most {} at a time",
                        self.max
                    ))
                    .with_code("SUBSCRIPTION_MAX_LIMIT");
                    let refused = dialect.event(&id, Event::Error(json!([error])));
                    return send(socket, &refused).await;
                }
                self.next_seq += 1;
                let task = operation::spawn(
                    self.connection.clone(),
                    id.clone(),
                    self.next_seq,
                    payload,
                    self.emitter.clone(),
                );
                let seq = self.next_seq;
                self.running.insert(id, Running { seq, task });
                Flow::Open
            }
            ClientMessage::Stop { id } => {
                // An unknown or finished id: nothing to stop or confirm.
                let confirmation = self.stop(&id).then(|| dialect.stopped(&id)).flatten();
                match confirmation {
                    Some(confirmation) => send(socket, &confirmation).await,
                    None => Flow::Open,
                }
            }
            ClientMessage::Terminate => {
                close(socket, Some(normal_closure())).await;
                Flow::Closed
            }
        }
    }

    /// Whether operation `id` was running.
    fn stop(&mut self, id: &str) -> bool {
        match self.running.remove(id) {
            Some(running) => {
                running.task.abort();
                true
            }
            None => false,
        }
    }

    /// The event to send, if its run is still tracked; the last event of a
    /// run frees its id.
    fn forward(&mut self, emitted: Emitted) -> Option<(Arc<str>, Event)> {
        let running = self.running.get(&emitted.id)?;
        if running.seq != emitted.seq {
            return None;
        }
        if matches!(emitted.event, Event::Complete | Event::Error(_)) {
            self.running.remove(&emitted.id);
        }
        Some((emitted.id, emitted.event))
    }

    fn stop_all(&mut self) {
        for (_, running) in self.running.drain() {
            running.task.abort();
        }
    }
}

/// The `Authorization` subgraphs get for this connection: from
/// `connection_init` (browsers cannot set WebSocket headers, so tokens
/// travel there), else from the upgrade request.
fn authorization(headers: &HeaderMap, init: Option<&Map<String, Value>>) -> HeaderMap {
    let mut out = HeaderMap::new();
    let from_payload = init
        .and_then(|init| {
            ["Authorization", "authorization", "token"]
                .iter()
                .find_map(|key| init.get(*key).and_then(Value::as_str))
        })
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
