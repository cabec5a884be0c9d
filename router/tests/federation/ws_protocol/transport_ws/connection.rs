//! The connection: malformed messages, the order of `connection_init` and
//! `subscribe`, its timeout, a second init, the subprotocol, refused tokens.

use std::time::{Duration, Instant};

use router::{RouterConfig, config::WebSocketConfig};
use serde_json::{Value, json};

use crate::{
    helpers::{TestRouter, TestSubgraphs},
    ws_protocol::{
        REFUSED_TOKENS,
        live::{Live, live_subscription},
        socket::{Frame, Socket, TRANSPORT_WS},
        verifying_router, with_websocket,
    },
};

/// Messages PROTOCOL.md does not allow from a client, each of which must
/// close the socket with 4400.
fn malformed_messages() -> Vec<String> {
    let query = json!({"query": "{ __typename }"});
    let mut texts: Vec<String> = ["not json", "{\"type\": \"ping\"", "", "[]", "null", "42"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let messages = [
        json!("subscribe"),
        json!({}),
        json!({"type": null}),
        json!({"type": 1}),
        json!({"type": "Subscribe", "id": "1", "payload": query}),
        json!({"type": "unsubscribe", "id": "1"}),
        // Server-to-client types are not the client's to send.
        json!({"type": "connection_ack"}),
        json!({"type": "next", "id": "1", "payload": {"data": {}}}),
        json!({"type": "error", "id": "1", "payload": [{"message": "x"}]}),
        // `subscribe` needs a non-empty string id and a payload with a query.
        json!({"type": "subscribe", "payload": query}),
        json!({"type": "subscribe", "id": "", "payload": query}),
        json!({"type": "subscribe", "id": 7, "payload": query}),
        json!({"type": "subscribe", "id": null, "payload": query}),
        json!({"type": "subscribe", "id": "1"}),
        json!({"type": "subscribe", "id": "1", "payload": null}),
        json!({"type": "subscribe", "id": "1", "payload": "{ __typename }"}),
        json!({"type": "subscribe", "id": "1", "payload": {}}),
        json!({"type": "subscribe", "id": "1", "payload": {"query": 5}}),
        json!({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "variables": [1]}}),
        json!({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "operationName": 5}}),
        json!({"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "extensions": "x"}}),
        json!({"type": "complete"}),
        json!({"type": "complete", "id": ""}),
        json!({"type": "ping", "payload": "x"}),
        json!({"type": "pong", "payload": [1]}),
        json!({"type": "connection_init", "payload": "token"}),
    ];
    texts.extend(messages.iter().map(Value::to_string));
    texts
}

#[tokio::test]
async fn a_malformed_message_closes_the_socket_with_4400() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    for text in malformed_messages() {
        let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
        socket.send_text(&text).await;
        assert_eq!(
            socket.close_frame().await,
            (4400, "Invalid message received".to_owned()),
            "after {text}"
        );
    }
    // Before connection_init too, and in a binary frame.
    let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
    socket.send_text("{\"type\": \"hello\"}").await;
    assert_eq!(socket.close_frame().await.0, 4400);
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket.send_binary(b"\xff\xfe").await;
    assert_eq!(socket.close_frame().await.0, 4400);
}

#[tokio::test]
async fn optional_fields_may_be_null_or_absent_as_the_protocol_allows() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
    socket
        .send(json!({"type": "connection_init", "payload": null}))
        .await;
    assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
    socket
        .send(json!({"type": "subscribe", "id": "q", "payload": {
            "query": "{ topProducts(first: 1) { name } }",
            "operationName": null, "variables": null, "extensions": null,
            "somethingElse": true
        }}))
        .await;
    assert_eq!(
        socket.message().await,
        json!({"id": "q", "type": "next", "payload": {"data": {"topProducts": [{"name": "Table"}]}}})
    );
    assert_eq!(
        socket.message().await,
        json!({"id": "q", "type": "complete"})
    );
    // A binary frame holding a valid message is read like a text frame.
    socket.send_binary(br#"{"type":"ping"}"#).await;
    assert_eq!(socket.message().await, json!({"type": "pong"}));
}

#[tokio::test]
async fn subscribe_before_connection_ack_closes_with_4401() {
    let live = Live::start(RouterConfig::default()).await;
    let mut socket = Socket::open(&live.router, Some(TRANSPORT_WS)).await;
    socket
        .send(
            json!({"type": "subscribe", "id": "s", "payload": {"query": live_subscription("p1")}}),
        )
        .await;
    assert_eq!(
        socket.close_frame().await,
        (4401, "Unauthorized".to_owned())
    );
    // Pings before connection_init are answered; a subscribe still is not.
    let mut socket = Socket::open(&live.router, Some(TRANSPORT_WS)).await;
    socket.assert_open().await;
    socket
        .send(json!({"type": "subscribe", "id": "s", "payload": {"query": "{ topProducts { name } }"}}))
        .await;
    assert_eq!(
        socket.close_frame().await,
        (4401, "Unauthorized".to_owned())
    );
    assert_eq!(live.feed.open(), 0, "nothing was subscribed upstream");
    assert!(
        live.subgraphs.products.log.all().is_empty(),
        "nothing was fetched"
    );
}

fn short_init_timeout() -> RouterConfig {
    with_websocket(WebSocketConfig {
        connection_init_timeout_ms: 300,
        ..WebSocketConfig::default()
    })
}

#[tokio::test]
async fn no_connection_init_within_the_timeout_closes_with_4408() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::spawn(subgraphs.urls(), short_init_timeout()).await;
    let started = Instant::now();
    let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
    assert_eq!(
        socket.close_frame().await,
        (4408, "Connection initialisation timeout".to_owned())
    );
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(250)..Duration::from_secs(3)).contains(&waited),
        "{waited:?}"
    );
    // Pings do not extend the wait.
    let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
    let started = Instant::now();
    let close = loop {
        socket.send(json!({"type": "ping"})).await;
        match socket.frame().await {
            Frame::Json(pong) => assert_eq!(pong, json!({"type": "pong"})),
            Frame::Closed(close) => break close,
            Frame::Ended => panic!("the socket ended without a close frame"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(close.map(|c| c.0), Some(4408));
    assert!(started.elapsed() < Duration::from_secs(3));
    // A socket initialised in time stays open past the timeout.
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket
        .assert_quiet_and_open(Duration::from_millis(600))
        .await;
}

#[tokio::test]
async fn a_second_connection_init_closes_with_4429() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket
        .send(json!({"type": "connection_init", "payload": {"Authorization": "Bearer other"}}))
        .await;
    assert_eq!(
        socket.close_frame().await,
        (4429, "Too many initialisation requests".to_owned())
    );
    // Two sent back to back: the first is acknowledged, the second closes.
    let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
    socket.send(json!({"type": "connection_init"})).await;
    socket.send(json!({"type": "connection_init"})).await;
    assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
    assert_eq!(socket.close_frame().await.0, 4429);
}

#[tokio::test]
async fn without_a_supported_subprotocol_the_socket_closes_with_4406() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::open(&router, None).await;
    assert_eq!(socket.protocol, None);
    assert_eq!(
        socket.close_frame().await,
        (4406, "Subprotocol not acceptable".to_owned())
    );
    for offered in [
        "graphql-sse",
        "GRAPHQL-TRANSPORT-WS",
        "graphql-transport-ws2",
    ] {
        let mut socket = Socket::open_lenient(&router, offered).await;
        assert_eq!(socket.protocol, None, "{offered:?}");
        assert_eq!(
            socket.close_frame().await,
            (4406, "Subprotocol not acceptable".to_owned()),
            "{offered:?}"
        );
    }
    // Among others offered, a supported one is picked.
    let mut socket = Socket::open(&router, Some("graphql-sse, graphql-transport-ws")).await;
    assert_eq!(socket.protocol.as_deref(), Some(TRANSPORT_WS));
    socket.send(json!({"type": "connection_init"})).await;
    assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
}

#[tokio::test]
async fn a_refused_connection_init_closes_with_4403() {
    let (_subgraphs, router) = verifying_router(RouterConfig::default()).await;
    for token in REFUSED_TOKENS {
        let mut socket = Socket::open(&router, Some(TRANSPORT_WS)).await;
        socket
            .send(json!({"type": "connection_init", "payload": {"Authorization": token}}))
            .await;
        assert_eq!(
            socket.close_frame().await,
            (4403, "Forbidden".to_owned()),
            "{token}"
        );
    }
}
