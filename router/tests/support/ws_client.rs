//! A GraphQL-over-WebSocket client for the router's tests, in either
//! protocol (graphql-transport-ws, legacy graphql-ws): opens `/graphql`,
//! completes `connection_init`, sends and receives JSON messages. The edge
//! and federation test binaries include this file with `#[path]`.

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens `url` (`ws://…/graphql`) offering `protocol`; the socket and the
/// subprotocol the router selected.
pub async fn open(url: &str, protocol: &'static str) -> (Socket, Option<String>) {
    let mut request = url.into_client_request().expect("request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
    let (socket, response) = connect_async(request).await.expect("upgrade");
    let selected = response
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (socket, selected)
}

/// Sends `connection_init` with `payload` and waits for the ack.
pub async fn init(socket: &mut Socket, payload: Value) {
    send(
        socket,
        json!({"type": "connection_init", "payload": payload}),
    )
    .await;
    assert_eq!(receive(socket).await["type"], "connection_ack");
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// The next JSON message, within 10 s.
pub async fn receive(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10s")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(text) = message {
            let message: Value = serde_json::from_str(text.as_str()).expect("JSON message");
            // The legacy protocol's keep-alives come at any time.
            if message != json!({"type": "ka"}) {
                return message;
            }
        }
    }
}
