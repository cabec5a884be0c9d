//! Subscriptions through the router over WebSocket, in both protocols: the
//! root field streams from reviews, the rest of each event comes through
//! the plan (accounts, products, inventory).

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    helpers::{TestRouter, TestSubgraphs},
    ws_client::{Socket, init, open, receive, send},
};

/// A socket in `protocol`, initialised with the token the subgraphs check.
async fn connect(router: &TestRouter, protocol: &'static str) -> Socket {
    let url = format!("{}/graphql", router.base.replace("http://", "ws://"));
    let (mut socket, selected) = open(&url, protocol).await;
    assert_eq!(selected.as_deref(), Some(protocol));
    init(&mut socket, json!({"Authorization": "Bearer ws-token"})).await;
    socket
}

const SUBSCRIPTION: &str = "subscription($upc: String!) { reviewAdded(upc: $upc) { body author { name } product { name inStock } } }";

fn expected_events() -> Vec<Value> {
    vec![
        json!({"data": {"reviewAdded": {"body": "Love it", "author": {"name": "Ada"}, "product": {"name": "Table", "inStock": true}}}}),
        json!({"data": {"reviewAdded": {"body": "Too expensive", "author": {"name": "Alan"}, "product": {"name": "Table", "inStock": true}}}}),
    ]
}

async fn events_until_complete(socket: &mut Socket, id: &str, kind: &str) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let message = receive(socket).await;
        assert_eq!(message["id"], id, "{message}");
        match message["type"].as_str() {
            Some(t) if t == kind => events.push(message["payload"].clone()),
            Some("complete") => return events,
            _ => panic!("unexpected message {message}"),
        }
    }
}

#[tokio::test]
async fn graphql_transport_ws_streams_events_resolved_through_the_plan() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = connect(&router, "graphql-transport-ws").await;
    send(
        &mut socket,
        json!({"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": {"upc": "p1"}}}),
    )
    .await;
    assert_eq!(
        events_until_complete(&mut socket, "s1", "next").await,
        expected_events()
    );
    // The token from connection_init reached the subgraphs of the plan.
    let accounts = subgraphs.accounts.log.entity_calls();
    assert!(!accounts.is_empty());
    assert!(
        accounts
            .iter()
            .all(|c| c.authorization.as_deref() == Some("Bearer ws-token"))
    );
}

#[tokio::test]
async fn legacy_graphql_ws_streams_the_same_events() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = connect(&router, "graphql-ws").await;
    send(
        &mut socket,
        json!({"id": "7", "type": "start", "payload": {"query": SUBSCRIPTION, "variables": {"upc": "p1"}}}),
    )
    .await;
    assert_eq!(
        events_until_complete(&mut socket, "7", "data").await,
        expected_events()
    );
}

#[tokio::test]
async fn an_invalid_subscription_gets_an_error_message_and_the_socket_stays_usable() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = connect(&router, "graphql-transport-ws").await;
    send(
        &mut socket,
        json!({"id": "bad", "type": "subscribe", "payload": {"query": "subscription { reviewAdded(upc: 1) { nope } }"}}),
    )
    .await;
    let message = receive(&mut socket).await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    send(
        &mut socket,
        json!({"id": "ok", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": {"upc": "p3"}}}),
    )
    .await;
    let events = events_until_complete(&mut socket, "ok", "next").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["reviewAdded"]["author"]["name"], "Grace");
}

#[tokio::test]
async fn subscriptions_over_http_post_are_refused() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let (status, body) = router.query(SUBSCRIPTION, json!({"upc": "p1"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "SUBSCRIPTION_NOT_SUPPORTED"
    );
}

#[tokio::test]
async fn a_bare_client_without_init_payload_or_variables_is_served() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let url = format!("{}/graphql", router.base.replace("http://", "ws://"));
    let (mut socket, _) = open(&url, "graphql-transport-ws").await;
    send(&mut socket, json!({"type": "connection_init"})).await;
    assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    send(
        &mut socket,
        json!({"id": "b", "type": "subscribe", "payload": {"query": "subscription { reviewAdded(upc: \"p3\") { body } }", "operationName": null}}),
    )
    .await;
    let events = events_until_complete(&mut socket, "b", "next").await;
    assert_eq!(
        events,
        vec![json!({"data": {"reviewAdded": {"body": "Sturdy"}}})]
    );
}

#[tokio::test]
async fn closing_the_socket_completes_the_close_handshake() {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let mut socket = connect(&router, "graphql-transport-ws").await;
    socket.close(None).await.expect("close sent");
    // The server answers with its own Close frame, then the stream ends;
    // without it the client sees a reset (1006).
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("an answer within 5s")
        {
            Some(Ok(Message::Close(_))) | None => break,
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("the close handshake failed: {e}"),
        }
    }
}
