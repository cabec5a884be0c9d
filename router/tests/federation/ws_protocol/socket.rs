//! A raw WebSocket to the router: sends any text, and reports every frame
//! it receives (JSON messages and the close frame with its code and
//! reason), so tests can assert exactly what the router said.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{
        Message, client::IntoClientRequest, handshake::client::generate_key, http::HeaderValue,
        protocol::Role,
    },
};

use crate::helpers::TestRouter;

pub const TRANSPORT_WS: &str = "graphql-transport-ws";
pub const LEGACY_WS: &str = "graphql-ws";

/// How long a test waits for a frame the router owes it.
const WAIT: Duration = Duration::from_secs(10);

pub struct Socket {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The subprotocol the router selected, if any.
    pub protocol: Option<String>,
}

/// What the router sent next.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Json(Value),
    /// A close frame: its code and reason (`None`: a close without code).
    Closed(Option<(u16, String)>),
    /// The stream ended without a close frame.
    Ended,
}

impl Socket {
    /// Opens `/graphql` offering `protocols` (a `Sec-WebSocket-Protocol`
    /// value; `None`: no header).
    pub async fn open(router: &TestRouter, protocols: Option<&str>) -> Socket {
        let url = format!("{}/graphql", router.base.replace("http://", "ws://"));
        let mut request = url.into_client_request().expect("request");
        if let Some(protocols) = protocols {
            request.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                HeaderValue::from_str(protocols).expect("header value"),
            );
        }
        let (inner, response) = connect_async(request).await.expect("upgrade");
        let protocol = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Socket { inner, protocol }
    }

    /// Like [`Socket::open`], but accepts an upgrade that selects none of
    /// the offered subprotocols, as browsers do (tungstenite's client
    /// refuses it).
    pub async fn open_lenient(router: &TestRouter, protocols: &str) -> Socket {
        let host = router.base.trim_start_matches("http://");
        let mut tcp = TcpStream::connect(host).await.expect("connect");
        let request = format!(
            "GET /graphql HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Key: {}\r\nSec-WebSocket-Protocol: {protocols}\r\n\r\n",
            generate_key()
        );
        tcp.write_all(request.as_bytes()).await.expect("handshake");
        // Byte by byte, so no frame after the response is read with it.
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(tcp.read_u8().await.expect("handshake response"));
        }
        let head = String::from_utf8(head).expect("ASCII response head");
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        let protocol = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("sec-websocket-protocol")
                .then(|| value.trim().to_owned())
        });
        let inner =
            WebSocketStream::from_raw_socket(MaybeTlsStream::Plain(tcp), Role::Client, None).await;
        Socket { inner, protocol }
    }

    /// Opens a socket in `protocol` and completes `connection_init` with
    /// an empty payload.
    pub async fn acknowledged(router: &TestRouter, protocol: &str) -> Socket {
        let mut socket = Socket::open(router, Some(protocol)).await;
        assert_eq!(socket.protocol.as_deref(), Some(protocol));
        socket
            .send(json!({"type": "connection_init", "payload": {}}))
            .await;
        assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
        socket
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.inner
            .send(Message::Text(text.to_owned().into()))
            .await
            .expect("send");
    }

    pub async fn send_binary(&mut self, bytes: &[u8]) {
        self.inner
            .send(Message::Binary(bytes.to_vec().into()))
            .await
            .expect("send");
    }

    /// The next text or close frame (WebSocket pings and pongs skipped).
    pub async fn frame(&mut self) -> Frame {
        self.frame_within(WAIT)
            .await
            .unwrap_or_else(|| panic!("nothing arrived within {WAIT:?}"))
    }

    /// Like [`Socket::frame`]; `None` when nothing arrives within `wait`.
    pub async fn frame_within(&mut self, wait: Duration) -> Option<Frame> {
        loop {
            let next = tokio::time::timeout(wait, self.inner.next()).await.ok()?;
            return Some(match next {
                None | Some(Err(_)) => Frame::Ended,
                Some(Ok(Message::Text(text))) => Frame::Json(
                    serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("the router sent non-JSON ({e}): {text}")),
                ),
                Some(Ok(Message::Close(frame))) => {
                    Frame::Closed(frame.map(|f| (u16::from(f.code), f.reason.to_string())))
                }
                Some(Ok(_)) => continue,
            });
        }
    }

    /// The next message; fails the test when the socket closes instead.
    pub async fn message(&mut self) -> Value {
        match self.frame().await {
            Frame::Json(message) => message,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The next message, which must be an `error` for operation `id`.
    pub async fn error_for(&mut self, id: &str) -> Value {
        let message = self.message().await;
        assert_eq!(
            (&message["id"], &message["type"]),
            (&json!(id), &json!("error")),
            "{message}"
        );
        message
    }

    /// The close frame that must come next (no message before it).
    pub async fn close_frame(&mut self) -> (u16, String) {
        match self.frame().await {
            Frame::Closed(Some(close)) => close,
            other => panic!("expected a close frame with a code, got {other:?}"),
        }
    }

    /// Nothing arrives for `wait`, then a `ping` is answered by a `pong`:
    /// the socket is open and sent nothing in between.
    pub async fn assert_quiet_and_open(&mut self, wait: Duration) {
        if let Some(frame) = self.frame_within(wait).await {
            panic!("expected silence, got {frame:?}");
        }
        self.assert_open().await;
    }

    /// A `ping` is answered by a `pong` (graphql-transport-ws only).
    pub async fn assert_open(&mut self) {
        self.send(json!({"type": "ping"})).await;
        assert_eq!(self.message().await, json!({"type": "pong"}));
    }
}
