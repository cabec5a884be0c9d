//! `orderStatusChanged` over graphql-transport-ws.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

use super::TestApp;

impl TestApp {
    /// Subscribes to `orderStatusChanged` and waits for its first message
    /// (the current status), so the subscription is live when this returns.
    pub async fn subscribe_status(&self, token: &str, order_id: &str) -> Subscriber {
        let mut subscriber = self.subscribe_raw(token, order_id).await;
        let first = subscriber.next_status().await;
        assert!(first["previousStatus"].is_null(), "{first}");
        assert!(first["status"].is_string(), "{first}");
        subscriber
    }

    /// Opens a graphql-transport-ws subscription to `orderStatusChanged`.
    pub async fn subscribe_raw(&self, token: &str, order_id: &str) -> Subscriber {
        let mut request = format!("ws://127.0.0.1:{}/graphql", self.port)
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("a header"),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket connects");
        let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .expect("init sent");
        let mut subscriber = Subscriber { socket };
        let ack = subscriber.next_message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus changedAt } }",
            "variables": { "id": order_id } } });
        subscriber
            .socket
            .send(Message::Text(subscribe.to_string().into()))
            .await
            .expect("subscribe sent");
        subscriber
    }
}

pub struct Subscriber {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Subscriber {
    /// The next JSON message (pings skipped).
    pub async fn next_message(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(15), self.socket.next())
                .await
                .expect("a message in time")
                .expect("the socket is open")
                .expect("a frame");
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    if value["type"] == "ping" {
                        continue;
                    }
                    return value;
                }
                Message::Close(frame) => panic!("the socket closed: {frame:?}"),
                _ => continue,
            }
        }
    }

    /// The next `orderStatusChanged` status.
    pub async fn next_status(&mut self) -> Value {
        let message = self.next_message().await;
        assert_eq!(message["type"], "next", "{message}");
        message["payload"]["data"]["orderStatusChanged"].clone()
    }
}
