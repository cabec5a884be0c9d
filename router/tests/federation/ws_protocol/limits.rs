//! A bounded number of operations per socket: past the bound a new one
//! gets an error, the socket and the operations already running go on,
//! and a finished operation frees its slot at once.

use router::{RouterConfig, config::WebSocketConfig};
use serde_json::{Value, json};

use super::{
    live::{Live, live_subscription},
    socket::{LEGACY_WS, Socket, TRANSPORT_WS},
    with_websocket,
};

fn at_most_two() -> RouterConfig {
    with_websocket(WebSocketConfig {
        max_subscriptions_per_socket: 2,
        keep_alive_interval_ms: 0,
        ..WebSocketConfig::default()
    })
}

fn assert_limit_error(errors: &Value) {
    assert_eq!(
        errors,
        &json!([{
            "message": "Too many operations on this socket: at most 2 at a time",
            "extensions": {"code": "SUBSCRIPTION_MAX_LIMIT"}
        }])
    );
}

fn review(id: &str, kind: &str, body: &str) -> Value {
    json!({"id": id, "type": kind, "payload": {"data": {"reviewAdded": {"body": body}}}})
}

#[tokio::test]
async fn graphql_transport_ws_refuses_an_operation_past_the_bound_and_goes_on() {
    let live = Live::start(at_most_two()).await;
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    let subscribe =
        |id: &str, query: &str| json!({"type": "subscribe", "id": id, "payload": {"query": query}});
    socket.send(subscribe("a", &live_subscription("p1"))).await;
    socket.send(subscribe("b", &live_subscription("p2"))).await;
    live.feed.wait_open(2).await;
    // A subscription and a query past the bound are refused, each with
    // an error for its id, and nothing is fetched for them.
    socket.send(subscribe("c", &live_subscription("p3"))).await;
    assert_limit_error(&socket.error_for("c").await["payload"]);
    socket.send(subscribe("q", "{ topProducts { upc } }")).await;
    assert_limit_error(&socket.error_for("q").await["payload"]);
    assert_eq!(live.feed.started_count(), 2);
    assert!(live.subgraphs.products.log.all().is_empty());
    // The running ones still stream.
    live.feed.publish("p1", "r1");
    assert_eq!(socket.message().await, review("a", "next", "Love it"));
    live.feed.publish("p2", "r3");
    assert_eq!(
        socket.message().await,
        review("b", "next", "Could be better")
    );
    // Completing one frees its slot for the next.
    socket.send(json!({"type": "complete", "id": "a"})).await;
    socket.send(subscribe("c", &live_subscription("p3"))).await;
    live.feed.wait_started(3).await;
    live.feed.wait_open(2).await;
    live.feed.publish("p3", "r4");
    assert_eq!(socket.message().await, review("c", "next", "Sturdy"));
}

#[tokio::test]
async fn operations_the_server_completed_do_not_count_against_the_bound() {
    let live = Live::start(at_most_two()).await;
    let mut socket = Socket::acknowledged(&live.router, TRANSPORT_WS).await;
    for n in 0..10 {
        let id = format!("q{n}");
        socket
            .send(json!({"type": "subscribe", "id": id, "payload": {"query": "{ topProducts(first: 1) { upc } }"}}))
            .await;
        assert_eq!(socket.message().await["type"], "next", "{id}");
        assert_eq!(
            socket.message().await,
            json!({"id": id, "type": "complete"})
        );
    }
}

#[tokio::test]
async fn legacy_graphql_ws_refuses_a_start_past_the_bound_but_a_restart_of_a_running_id_is_not_new()
{
    let live = Live::start(at_most_two()).await;
    let mut socket = Socket::acknowledged(&live.router, LEGACY_WS).await;
    let start = |id: &str, upc: &str| json!({"type": "start", "id": id, "payload": {"query": live_subscription(upc)}});
    socket.send(start("1", "p1")).await;
    socket.send(start("2", "p2")).await;
    live.feed.wait_open(2).await;
    socket.send(start("3", "p3")).await;
    let refused = socket.error_for("3").await;
    assert_limit_error(&refused["payload"]["errors"]);
    // Restarting a running id replaces it, within the bound.
    socket.send(start("2", "p3")).await;
    live.feed.wait_started(3).await;
    live.feed.wait_open(2).await;
    live.feed.publish("p3", "r4");
    assert_eq!(socket.message().await, review("2", "data", "Sturdy"));
    // `stop` frees a slot.
    socket.send(json!({"type": "stop", "id": "1"})).await;
    assert_eq!(
        socket.message().await,
        json!({"id": "1", "type": "complete"})
    );
    socket.send(start("3", "p1")).await;
    live.feed.wait_started(4).await;
    live.feed.wait_open(2).await;
    live.feed.publish("p1", "r2");
    assert_eq!(socket.message().await, review("3", "data", "Too expensive"));
}
