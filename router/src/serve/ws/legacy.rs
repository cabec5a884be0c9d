//! The legacy graphql-ws protocol of apollographql/subscriptions-transport-ws
//! (PROTOCOL.md and its reference server): problems are reported in
//! messages (`connection_error`, `error`) rather than close codes, `ka`
//! keeps the socket alive, and a `start` with a running id replaces it.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::dialect::{
    ClientMessage, Dialect, Event, Invalid, OperationId, Reply, SubscribePayload,
};
use crate::response::GraphQLError;

pub(super) const SUBPROTOCOL: &str = "graphql-ws";

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Message {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Map<String, Value>>,
    },
    Start {
        id: OperationId,
        payload: SubscribePayload,
    },
    Stop {
        id: OperationId,
    },
    ConnectionTerminate,
}

/// What a message that did not parse may still say: the operation to tell.
#[derive(Deserialize)]
struct Envelope {
    id: OperationId,
}

pub(super) struct Legacy;

fn connection_error(message: &str) -> Value {
    json!({"type": "connection_error", "payload": {"message": message}})
}

/// An `error` for operation `id`: the protocol's payload is an error
/// object; `{"errors": [..]}` carries every GraphQL error with its
/// extensions, and the reference client reads it as such.
fn error(id: &str, errors: Value) -> Value {
    json!({"id": id, "type": "error", "payload": {"errors": errors}})
}

fn request_error(id: &str, message: String, code: &str) -> Value {
    error(id, json!([GraphQLError::new(message).with_code(code)]))
}

impl Dialect for Legacy {
    fn parse(&self, text: &[u8]) -> Result<ClientMessage, Invalid> {
        let message = serde_json::from_slice(text).map_err(|e| Invalid {
            id: serde_json::from_slice::<Envelope>(text)
                .ok()
                .map(|e| e.id.0),
            reason: format!("Invalid message: {e}"),
        })?;
        Ok(match message {
            Message::ConnectionInit { payload } => ClientMessage::Init(payload),
            Message::Start { id, payload } => ClientMessage::Subscribe { id: id.0, payload },
            Message::Stop { id } => ClientMessage::Stop { id: id.0 },
            Message::ConnectionTerminate => ClientMessage::Terminate,
        })
    }

    fn invalid(&self, invalid: Invalid) -> Reply {
        // PROTOCOL.md: a message that does not parse gets
        // `connection_error` and is otherwise ignored; one naming an
        // operation fails that operation.
        Reply::send(match invalid.id {
            Some(id) => request_error(&id, invalid.reason, "BAD_REQUEST"),
            None => connection_error(&invalid.reason),
        })
    }

    fn unauthorized(&self, id: &str) -> Reply {
        Reply::send(request_error(
            id,
            "Send connection_init before start".into(),
            "UNAUTHENTICATED",
        ))
    }

    fn init_timeout(&self) -> Reply {
        const WHY: &str = "Connection initialisation timeout";
        Reply::send(connection_error(WHY)).then_close(4408, WHY)
    }

    fn refused(&self, why: &str) -> Reply {
        // Clients wait for `connection_ack` or `connection_error`; a bare
        // close leaves some hanging.
        Reply::send(connection_error(why)).then_close(4403, "Forbidden")
    }

    fn init_again(&self) -> Reply {
        Reply::send(connection_error("Too many initialisation requests"))
    }

    fn duplicate(&self, _id: &str) -> Option<Reply> {
        // The reference server stops the running operation first.
        None
    }

    fn stopped(&self, id: &str) -> Option<Value> {
        Some(json!({"id": id, "type": "complete"}))
    }

    fn keep_alive(&self) -> Option<Value> {
        Some(json!({"type": "ka"}))
    }

    fn event(&self, id: &str, event: Event) -> Value {
        match event {
            Event::Next(payload) => json!({"id": id, "type": "data", "payload": payload}),
            Event::Error(errors) => error(id, errors),
            Event::Complete => json!({"id": id, "type": "complete"}),
        }
    }
}
