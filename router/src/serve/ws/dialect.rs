//! What the two WebSocket protocols share, and the [`Dialect`] each one
//! implements: how its client messages parse into one [`ClientMessage`],
//! and what it answers when a client breaks a rule. The session speaks
//! through a dialect and never names a protocol.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::{Map, Value, json};

/// A message from the client, parsed once, whichever protocol it speaks.
pub(super) enum ClientMessage {
    /// `connection_init`, with its payload (where tokens travel).
    Init(Option<Map<String, Value>>),
    /// graphql-transport-ws `subscribe`, graphql-ws `start`.
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    /// graphql-transport-ws `complete`, graphql-ws `stop`.
    Stop {
        id: String,
    },
    /// graphql-transport-ws only.
    Ping(Option<Map<String, Value>>),
    Pong,
    /// graphql-ws `connection_terminate`.
    Terminate,
}

/// The operation of a `subscribe`/`start`. Both protocols allow `null` for
/// every optional field; fields they do not define are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SubscribePayload {
    pub query: String,
    #[serde(default)]
    pub operation_name: Option<String>,
    #[serde(default)]
    pub variables: Option<Map<String, Value>>,
    #[serde(default)]
    pub extensions: Option<Map<String, Value>>,
}

/// An operation id: a non-empty string.
#[derive(Deserialize)]
#[serde(try_from = "String")]
pub(super) struct OperationId(pub String);

impl TryFrom<String> for OperationId {
    type Error = &'static str;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        if id.is_empty() {
            Err("the 'id' must not be empty")
        } else {
            Ok(Self(id))
        }
    }
}

/// A message the protocol does not allow: why, and the id it names when
/// one could be read.
pub(super) struct Invalid {
    pub id: Option<String>,
    pub reason: String,
}

/// A close frame: code and reason.
pub(super) type Close = (u16, Cow<'static, str>);

/// What the server does about a client's message: send a message, then
/// close the socket, either, both or neither.
#[derive(Default)]
pub(super) struct Reply {
    pub message: Option<Value>,
    pub close: Option<Close>,
}

impl Reply {
    pub fn send(message: Value) -> Self {
        Self {
            message: Some(message),
            close: None,
        }
    }

    pub fn close(code: u16, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: None,
            close: Some((code, reason.into())),
        }
    }

    pub fn then_close(mut self, code: u16, reason: impl Into<Cow<'static, str>>) -> Self {
        self.close = Some((code, reason.into()));
        self
    }
}

/// What an operation sends its client.
pub(super) enum Event {
    /// One result.
    Next(Value),
    /// Request errors (a JSON array); ends the operation.
    Error(Value),
    /// The operation ended.
    Complete,
}

/// One protocol's rules. The close codes both follow are
/// graphql-transport-ws's (PROTOCOL.md); graphql-ws defines none.
pub(super) trait Dialect: Send + Sync {
    fn parse(&self, text: &[u8]) -> Result<ClientMessage, Invalid>;

    fn invalid(&self, invalid: Invalid) -> Reply;

    /// An operation before `connection_ack`.
    fn unauthorized(&self, id: &str) -> Reply;

    /// No `connection_init` in time.
    fn init_timeout(&self) -> Reply;

    /// `connection_init` refused (bad token), with why.
    fn refused(&self, why: &str) -> Reply;

    /// A second `connection_init`.
    fn init_again(&self) -> Reply;

    /// An operation with the id of one still running: `None` replaces the
    /// running one.
    fn duplicate(&self, id: &str) -> Option<Reply>;

    /// The message (if any) that confirms a client's `Stop`.
    fn stopped(&self, id: &str) -> Option<Value>;

    /// The keep-alive message sent after `connection_ack` and then
    /// periodically, if the protocol has one.
    fn keep_alive(&self) -> Option<Value>;

    /// Event `event` of operation `id` as this protocol sends it.
    fn event(&self, id: &str, event: Event) -> Value;
}

/// `connection_ack`, the same in both protocols.
pub(super) fn ack() -> Value {
    json!({"type": "connection_ack"})
}

/// The answer to a `ping` (graphql-transport-ws has them): its payload
/// echoed, as the reference server does, or none.
pub(super) fn pong(payload: Option<Map<String, Value>>) -> Value {
    match payload {
        Some(payload) => json!({"type": "pong", "payload": payload}),
        None => json!({"type": "pong"}),
    }
}

/// The longest reason a close frame carries (RFC 6455: 125 bytes of
/// payload, two of them the code).
const MAX_CLOSE_REASON: usize = 123;

/// `reason`, or `fallback` when it does not fit in a close frame.
pub(super) fn close_reason(reason: String, fallback: &'static str) -> Cow<'static, str> {
    if reason.len() <= MAX_CLOSE_REASON {
        reason.into()
    } else {
        fallback.into()
    }
}
