//! Operations on an acknowledged socket: ids, ping/pong, `complete` from
//! the client, and `error` ending an operation.

use std::time::Duration;

use router::RouterConfig;
use serde_json::json;

use crate::{
    helpers::{TestRouter, TestSubgraphs},
    ws_protocol::{
        live::{Live, live_subscription},
        socket::{Socket, TRANSPORT_WS},
    },
};

const QUIET: Duration = Duration::from_millis(300);

#[tokio::test]
async fn a_duplicate_operation_id_closes_with_4409_and_ends_the_subscription_upstream() {
    let live = Live::start(RouterConfig::default()).await;
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    let subscribe = |id: &str| json!({"type": "subscribe", "id": id, "payload": {"query": live_subscription("p1")}});
    socket.send(subscribe("a")).await;
    live.feed.wait_open(1).await;
    socket.send(subscribe("a")).await;
    assert_eq!(
        socket.close_frame().await,
        (4409, "Subscriber for a already exists".to_owned())
    );
    live.feed.wait_open(0).await;
    // An id too long for a close reason (123 bytes) gets a shorter one.
    let long = "x".repeat(200);
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    socket.send(subscribe(&long)).await;
    live.feed.wait_open(1).await;
    socket.send(subscribe(&long)).await;
    assert_eq!(
        socket.close_frame().await,
        (4409, "Subscriber already exists".to_owned())
    );
    live.feed.wait_open(0).await;
}

#[tokio::test]
async fn an_operation_id_is_free_again_once_its_operation_completed() {
    let live = Live::start(RouterConfig::default()).await;
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    // Completed by the server: reused at once, many times over.
    for _ in 0..20 {
        socket
            .send(json!({"type": "subscribe", "id": "q", "payload": {"query": "{ topProducts(first: 1) { upc } }"}}))
            .await;
        assert_eq!(
            socket.message().await,
            json!({"id": "q", "type": "next", "payload": {"data": {"topProducts": [{"upc": "p1"}]}}})
        );
        assert_eq!(
            socket.message().await,
            json!({"id": "q", "type": "complete"})
        );
    }
    // Completed by the client.
    let subscribe =
        json!({"type": "subscribe", "id": "s", "payload": {"query": live_subscription("p1")}});
    socket.send(subscribe.clone()).await;
    live.feed.wait_open(1).await;
    socket.send(json!({"type": "complete", "id": "s"})).await;
    socket.send(subscribe).await;
    live.feed.wait_started(2).await;
    live.feed.wait_open(1).await;
    live.feed.publish("p1", "r1");
    assert_eq!(
        socket.message().await,
        json!({"id": "s", "type": "next", "payload": {"data": {"reviewAdded": {"body": "Love it"}}}})
    );
}

#[tokio::test]
async fn ping_is_answered_with_a_pong_that_echoes_its_payload_and_pongs_are_accepted() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket
        .send(json!({"type": "ping", "payload": {"sent": 1, "nested": {"a": [1, 2]}}}))
        .await;
    assert_eq!(
        socket.message().await,
        json!({"type": "pong", "payload": {"sent": 1, "nested": {"a": [1, 2]}}})
    );
    socket.send(json!({"type": "ping", "payload": null})).await;
    assert_eq!(socket.message().await, json!({"type": "pong"}));
    // Unsolicited pongs, with or without payload, get no answer.
    socket.send(json!({"type": "pong"})).await;
    socket
        .send(json!({"type": "pong", "payload": {"latency": 3}}))
        .await;
    socket.assert_quiet_and_open(QUIET).await;
}

#[tokio::test]
async fn complete_from_the_client_stops_the_subscription_without_an_echo() {
    let live = Live::start(RouterConfig::default()).await;
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    socket
        .send(
            json!({"type": "subscribe", "id": "s", "payload": {"query": live_subscription("p1")}}),
        )
        .await;
    live.feed.wait_open(1).await;
    live.feed.publish("p1", "r1");
    assert_eq!(
        socket.message().await,
        json!({"id": "s", "type": "next", "payload": {"data": {"reviewAdded": {"body": "Love it"}}}})
    );
    socket.send(json!({"type": "complete", "id": "s"})).await;
    live.feed.wait_open(0).await;
    live.feed.publish("p1", "r2");
    socket.assert_quiet_and_open(QUIET).await;
    // Completing it again, or an id never used, is ignored.
    socket.send(json!({"type": "complete", "id": "s"})).await;
    socket
        .send(json!({"type": "complete", "id": "never"}))
        .await;
    socket.assert_quiet_and_open(QUIET).await;
}

#[tokio::test]
async fn complete_for_a_query_in_flight_drops_its_result() {
    let subgraphs = TestSubgraphs {
        products: crate::helpers::spawn_slow_subgraph(
            crate::subgraphs::products_schema(),
            Duration::from_millis(300),
        )
        .await,
        ..TestSubgraphs::spawn().await
    };
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket
        .send(json!({"type": "subscribe", "id": "q", "payload": {"query": "{ topProducts { name } }"}}))
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    socket.send(json!({"type": "complete", "id": "q"})).await;
    socket
        .assert_quiet_and_open(Duration::from_millis(600))
        .await;
}

#[tokio::test]
async fn an_error_message_ends_its_operation_without_complete() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = Socket::acknowledged(&router, TRANSPORT_WS).await;
    socket
        .send(json!({"type": "subscribe", "id": "bad", "payload": {"query": "{ nope }"}}))
        .await;
    let error = socket.error_for("bad").await;
    assert_eq!(
        error["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    socket.assert_quiet_and_open(QUIET).await;
    // The id is free again.
    socket
        .send(json!({"type": "subscribe", "id": "bad", "payload": {"query": "{ topProducts(first: 1) { upc } }"}}))
        .await;
    assert_eq!(socket.message().await["type"], "next");
}
