//! graphql-transport-ws as enisdenjo/graphql-ws PROTOCOL.md defines it:
//! every broken rule closes the socket with the code and reason the
//! reference server uses.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::dialect::{
    ClientMessage, Dialect, Event, Invalid, OperationId, Reply, SubscribePayload, close_reason,
};

pub(super) const SUBPROTOCOL: &str = "graphql-transport-ws";

/// The messages a client may send; anything else is invalid (4400),
/// server-to-client types included.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Message {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Map<String, Value>>,
    },
    Ping {
        #[serde(default)]
        payload: Option<Map<String, Value>>,
    },
    Pong {
        /// Validated (an object or null), otherwise unused.
        #[serde(default, rename = "payload")]
        _payload: Option<Map<String, Value>>,
    },
    Subscribe {
        id: OperationId,
        payload: SubscribePayload,
    },
    Complete {
        id: OperationId,
    },
}

pub(super) struct TransportWs;

impl Dialect for TransportWs {
    fn parse(&self, text: &[u8]) -> Result<ClientMessage, Invalid> {
        let message = serde_json::from_slice(text).map_err(|e| Invalid {
            id: None,
            reason: e.to_string(),
        })?;
        Ok(match message {
            Message::ConnectionInit { payload } => ClientMessage::Init(payload),
            Message::Ping { payload } => ClientMessage::Ping(payload),
            Message::Pong { .. } => ClientMessage::Pong,
            Message::Subscribe { id, payload } => ClientMessage::Subscribe { id: id.0, payload },
            Message::Complete { id } => ClientMessage::Stop { id: id.0 },
        })
    }

    fn invalid(&self, invalid: Invalid) -> Reply {
        // The reason the reference server gives; why goes to the log.
        tracing::debug!(reason = %invalid.reason, "invalid graphql-transport-ws message");
        Reply::close(4400, "Invalid message received")
    }

    fn unauthorized(&self, _id: &str) -> Reply {
        Reply::close(4401, "Unauthorized")
    }

    fn init_timeout(&self) -> Reply {
        Reply::close(4408, "Connection initialisation timeout")
    }

    fn refused(&self, _why: &str) -> Reply {
        Reply::close(4403, "Forbidden")
    }

    fn init_again(&self) -> Reply {
        Reply::close(4429, "Too many initialisation requests")
    }

    fn duplicate(&self, id: &str) -> Option<Reply> {
        let reason = close_reason(
            format!("Subscriber for {id} already exists"),
            "Subscriber already exists",
        );
        Some(Reply::close(4409, reason))
    }

    fn stopped(&self, _id: &str) -> Option<Value> {
        // The client completed it: no `complete` echo.
        None
    }

    fn keep_alive(&self) -> Option<Value> {
        // Its keep-alive is WebSocket ping frames, answered by the
        // WebSocket layer.
        None
    }

    fn event(&self, id: &str, event: Event) -> Value {
        match event {
            Event::Next(payload) => json!({"id": id, "type": "next", "payload": payload}),
            Event::Error(errors) => json!({"id": id, "type": "error", "payload": errors}),
            Event::Complete => json!({"id": id, "type": "complete"}),
        }
    }
}
