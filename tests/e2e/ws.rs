//! A graphql-transport-ws client on tokio-tungstenite, for subscriptions
//! through the router.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

/// How long a test waits for the next message before it fails.
const MESSAGE_TIMEOUT: Duration = Duration::from_secs(15);

/// The two WebSocket subprotocols GraphQL clients speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws` (graphql-ws the library): subscribe / next.
    TransportWs,
    /// `graphql-ws` (the legacy subscriptions-transport-ws): start / data.
    Legacy,
}

impl Protocol {
    fn name(self) -> &'static str {
        match self {
            Protocol::TransportWs => "graphql-transport-ws",
            Protocol::Legacy => "graphql-ws",
        }
    }
}

pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    protocol: Protocol,
}

/// How a connection ended before it was acknowledged.
#[derive(Debug)]
pub struct Refused {
    pub close_code: Option<u16>,
}

impl WsClient {
    /// Connects with `graphql-transport-ws` and sends `connection_init` with
    /// the token in its payload (as browsers must); returns once the server
    /// acknowledges, or how it refused.
    pub async fn connect(url: &str, token: Option<&str>) -> Result<WsClient, Refused> {
        Self::connect_with(Protocol::TransportWs, url, token).await
    }

    /// Like [`WsClient::connect`], in `protocol`.
    pub async fn connect_with(
        protocol: Protocol,
        url: &str,
        token: Option<&str>,
    ) -> Result<WsClient, Refused> {
        let mut request = url.into_client_request().expect("a WebSocket request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static(protocol.name()),
        );
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket upgrade succeeds");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some(protocol.name()),
            "the router picks the protocol the client asked for"
        );
        let mut client = WsClient { socket, protocol };
        let payload = match token {
            Some(token) => json!({ "Authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        match client.next_frame().await {
            Frame::Json(ack) => {
                assert_eq!(ack["type"], "connection_ack", "{ack}");
                Ok(client)
            }
            Frame::Closed(close_code) => Err(Refused { close_code }),
        }
    }

    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("the message is sent");
    }

    /// Starts operation `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = match self.protocol {
            Protocol::TransportWs => "subscribe",
            Protocol::Legacy => "start",
        };
        self.send(json!({
            "id": id,
            "type": kind,
            "payload": { "query": query, "variables": variables }
        }))
        .await;
    }

    /// The next JSON message (pings answered, pongs and keep-alives skipped); fails the test
    /// when the socket closes or nothing arrives in time.
    pub async fn next_message(&mut self) -> Value {
        match self.next_frame().await {
            Frame::Json(message) => message,
            Frame::Closed(code) => panic!("the socket closed (code {code:?})"),
        }
    }

    /// The payload of the next `next` (legacy: `data`) message of operation `id`.
    pub async fn next_payload(&mut self, id: &str) -> Value {
        let message = self.next_message().await;
        let kind = match self.protocol {
            Protocol::TransportWs => "next",
            Protocol::Legacy => "data",
        };
        assert_eq!(message["type"], kind, "{message}");
        assert_eq!(message["id"], id, "{message}");
        message["payload"].clone()
    }

    async fn next_frame(&mut self) -> Frame {
        loop {
            let frame = tokio::time::timeout(MESSAGE_TIMEOUT, self.socket.next())
                .await
                .expect("a WebSocket message within the timeout");
            match frame {
                None => return Frame::Closed(None),
                Some(Err(e)) => panic!("WebSocket error: {e}"),
                Some(Ok(Message::Close(frame))) => {
                    return Frame::Closed(frame.map(|f| u16::from(f.code)));
                }
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("a JSON message ({e}): {text}"));
                    match value["type"].as_str() {
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        // pongs, and the legacy protocol's keep-alives
                        Some("pong" | "ka") => {}
                        _ => return Frame::Json(value),
                    }
                }
                Some(Ok(_)) => {}
            }
        }
    }
}

enum Frame {
    Json(Value),
    Closed(Option<u16>),
}
