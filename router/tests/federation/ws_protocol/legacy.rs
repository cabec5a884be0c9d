//! The legacy graphql-ws protocol (subscriptions-transport-ws PROTOCOL.md
//! and its reference server): `connection_error` before a refused socket
//! closes, `ka` keep-alives, a restarted id never orphans the earlier
//! subscription, `stop`, `connection_terminate`, and `error` messages.

use std::time::Duration;

use router::{RouterConfig, config::WebSocketConfig};
use serde_json::{Value, json};

use super::{
    REFUSED_TOKENS,
    live::{Live, live_subscription},
    socket::{LEGACY_WS, Socket},
    verifying_router, with_websocket,
};
use crate::helpers::{TestRouter, TestSubgraphs};

const QUIET: Duration = Duration::from_millis(300);

/// Legacy sockets without keep-alives, so tests see only what they asked.
fn quiet_config() -> RouterConfig {
    with_websocket(WebSocketConfig {
        keep_alive_interval_ms: 0,
        ..WebSocketConfig::default()
    })
}

async fn quiet_router() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::spawn(subgraphs.urls(), quiet_config()).await;
    (subgraphs, router)
}

/// Nothing arrives for a while, then a query on the socket is answered.
async fn assert_quiet_and_open(socket: &mut Socket) {
    if let Some(frame) = socket.frame_within(QUIET).await {
        panic!("expected silence, got {frame:?}");
    }
    assert_serves_queries(socket).await;
}

async fn assert_serves_queries(socket: &mut Socket) {
    socket
        .send(json!({"type": "start", "id": "probe", "payload": {"query": "{ topProducts(first: 1) { upc } }"}}))
        .await;
    assert_eq!(
        socket.message().await,
        json!({"id": "probe", "type": "data", "payload": {"data": {"topProducts": [{"upc": "p1"}]}}})
    );
    assert_eq!(
        socket.message().await,
        json!({"id": "probe", "type": "complete"})
    );
}

fn start(id: &str, upc: &str) -> Value {
    json!({"type": "start", "id": id, "payload": {"query": live_subscription(upc)}})
}

#[tokio::test]
async fn a_refused_connection_sends_connection_error_before_closing() {
    let (_subgraphs, router) = verifying_router(RouterConfig::default()).await;
    for token in REFUSED_TOKENS {
        let mut socket = Socket::open(&router, Some(LEGACY_WS)).await;
        socket
            .send(json!({"type": "connection_init", "payload": {"Authorization": token}}))
            .await;
        let refusal = socket.message().await;
        assert_eq!(refusal["type"], "connection_error", "{refusal}");
        let why = refusal["payload"]["message"].as_str().unwrap_or_default();
        assert!(!why.is_empty(), "the payload says why: {refusal}");
        assert_eq!(refusal.as_object().map(|m| m.len()), Some(2), "{refusal}");
        assert_eq!(socket.close_frame().await, (4403, "Forbidden".to_owned()));
    }
}

#[tokio::test]
async fn no_connection_init_within_the_timeout_sends_connection_error_before_closing() {
    let subgraphs = TestSubgraphs::spawn().await;
    let config = with_websocket(WebSocketConfig {
        connection_init_timeout_ms: 300,
        ..WebSocketConfig::default()
    });
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    let mut socket = Socket::open(&router, Some(LEGACY_WS)).await;
    assert_eq!(
        socket.message().await,
        json!({"type": "connection_error", "payload": {"message": "Connection initialisation timeout"}})
    );
    assert_eq!(
        socket.close_frame().await,
        (4408, "Connection initialisation timeout".to_owned())
    );
}

#[tokio::test]
async fn keep_alives_follow_the_ack_and_then_come_periodically() {
    let subgraphs = TestSubgraphs::spawn().await;
    let config = with_websocket(WebSocketConfig {
        keep_alive_interval_ms: 100,
        ..WebSocketConfig::default()
    });
    let router = TestRouter::spawn(subgraphs.urls(), config).await;
    let mut socket = Socket::open(&router, Some(LEGACY_WS)).await;
    // None before the socket is initialised.
    assert_eq!(socket.frame_within(QUIET).await, None);
    socket.send(json!({"type": "connection_init"})).await;
    assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
    assert_eq!(socket.message().await, json!({"type": "ka"}));
    let started = tokio::time::Instant::now();
    for _ in 0..3 {
        assert_eq!(socket.message().await, json!({"type": "ka"}));
    }
    let took = started.elapsed();
    assert!(
        (Duration::from_millis(250)..Duration::from_secs(2)).contains(&took),
        "three more keep-alives took {took:?}"
    );
    // Switched off, there are none.
    let (_subgraphs, router) = quiet_router().await;
    let mut socket = Socket::acknowledged(&router, LEGACY_WS).await;
    assert_quiet_and_open(&mut socket).await;
}

#[tokio::test]
async fn start_with_a_running_id_stops_the_earlier_subscription_first() {
    let live = Live::start(quiet_config()).await;
    let mut socket = Socket::acknowledged(&live.router, LEGACY_WS).await;
    socket.send(start("1", "p1")).await;
    live.feed.wait_started(1).await;
    socket.send(start("1", "p2")).await;
    live.feed.wait_started(2).await;
    live.feed.wait_open(1).await;
    // Only the new subscription answers; the earlier one is gone upstream.
    live.feed.publish("p1", "r1");
    live.feed.publish("p2", "r3");
    assert_eq!(
        socket.message().await,
        json!({"id": "1", "type": "data", "payload": {"data": {"reviewAdded": {"body": "Could be better"}}}})
    );
    assert_quiet_and_open(&mut socket).await;
    assert_eq!(live.feed.open(), 1);
}

#[tokio::test]
async fn stop_ends_the_subscription_with_complete_and_unknown_ids_are_ignored() {
    let live = Live::start(quiet_config()).await;
    let mut socket = Socket::acknowledged(&live.router, LEGACY_WS).await;
    socket.send(start("1", "p1")).await;
    live.feed.wait_open(1).await;
    live.feed.publish("p1", "r1");
    assert_eq!(socket.message().await["type"], "data");
    socket.send(json!({"type": "stop", "id": "1"})).await;
    assert_eq!(
        socket.message().await,
        json!({"id": "1", "type": "complete"})
    );
    live.feed.wait_open(0).await;
    live.feed.publish("p1", "r2");
    socket.send(json!({"type": "stop", "id": "1"})).await;
    socket.send(json!({"type": "stop", "id": "never"})).await;
    assert_quiet_and_open(&mut socket).await;
}

#[tokio::test]
async fn connection_terminate_closes_the_socket_and_its_subscriptions() {
    let live = Live::start(quiet_config()).await;
    let mut socket = Socket::acknowledged(&live.router, LEGACY_WS).await;
    socket.send(start("1", "p1")).await;
    socket.send(start("2", "p2")).await;
    live.feed.wait_open(2).await;
    socket.send(json!({"type": "connection_terminate"})).await;
    assert_eq!(socket.close_frame().await.0, 1000);
    live.feed.wait_open(0).await;
}

#[tokio::test]
async fn a_message_that_does_not_parse_gets_connection_error_and_the_socket_goes_on() {
    let (_subgraphs, router) = quiet_router().await;
    let mut socket = Socket::acknowledged(&router, LEGACY_WS).await;
    let unparsable = [
        "not json".to_owned(),
        "[]".to_owned(),
        json!({}).to_string(),
        json!({"type": 5}).to_string(),
        json!({"type": "start", "payload": {"query": "{ __typename }"}}).to_string(),
        json!({"type": "stop"}).to_string(),
    ];
    for text in unparsable {
        socket.send_text(&text).await;
        let message = socket.message().await;
        assert_eq!(
            message["type"], "connection_error",
            "after {text}: {message}"
        );
        assert!(
            message["payload"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "after {text}: {message}"
        );
    }
    assert_serves_queries(&mut socket).await;
}

#[tokio::test]
async fn an_unknown_type_or_a_start_without_a_query_gets_an_error_for_its_id() {
    let (_subgraphs, router) = quiet_router().await;
    let mut socket = Socket::acknowledged(&router, LEGACY_WS).await;
    let invalid = [
        json!({"type": "subscribe", "id": "a", "payload": {"query": "{ __typename }"}}),
        json!({"type": "ping", "id": "b"}),
        json!({"type": "start", "id": "c"}),
        json!({"type": "start", "id": "d", "payload": {"variables": {}}}),
        json!({"type": "start", "id": "e", "payload": {"query": ["{ __typename }"]}}),
    ];
    for message in invalid {
        socket.send(message.clone()).await;
        let error = socket.message().await;
        assert_eq!(error["type"], "error", "after {message}: {error}");
        assert_eq!(error["id"], message["id"], "after {message}: {error}");
        assert_eq!(
            error["payload"]["errors"][0]["extensions"]["code"], "BAD_REQUEST",
            "after {message}: {error}"
        );
    }
    assert_quiet_and_open(&mut socket).await;
}

#[tokio::test]
async fn an_invalid_operation_gets_one_error_message_and_no_complete() {
    let (_subgraphs, router) = quiet_router().await;
    let mut socket = Socket::acknowledged(&router, LEGACY_WS).await;
    socket
        .send(json!({"type": "start", "id": "bad", "payload": {"query": "{ nope }"}}))
        .await;
    let error = socket.error_for("bad").await;
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert_quiet_and_open(&mut socket).await;
}

#[tokio::test]
async fn start_before_connection_init_gets_an_error_and_a_second_init_a_connection_error() {
    let (subgraphs, router) = quiet_router().await;
    let mut socket = Socket::open(&router, Some(LEGACY_WS)).await;
    socket
        .send(json!({"type": "start", "id": "early", "payload": {"query": "{ topProducts { name } }"}}))
        .await;
    let error = socket.error_for("early").await;
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert!(
        subgraphs.products.log.all().is_empty(),
        "nothing was fetched"
    );
    socket.send(json!({"type": "connection_init"})).await;
    assert_eq!(socket.message().await, json!({"type": "connection_ack"}));
    socket.send(json!({"type": "connection_init"})).await;
    assert_eq!(
        socket.message().await,
        json!({"type": "connection_error", "payload": {"message": "Too many initialisation requests"}})
    );
    assert_serves_queries(&mut socket).await;
}
