//! Operations over WebSocket are charged like HTTP requests: past the
//! client's bucket an operation gets a `RATE_LIMITED` error message while
//! the socket and its other operations go on.

use std::collections::HashMap;

use platform::testing::TestTokens;
use serde_json::{Value, json};

use crate::{
    helpers::{TestRouter, config, settings, spawn_shop},
    ws_client::{Socket, init, open, receive, send},
};

const LIMITS: &str = "
rate_limits:
  enabled: true
  classes:
    live:
      operation_types: [subscription]
      per_client: {capacity: 2, refill_per_second: 0.1}
  default:
    per_client: {capacity: 10, refill_per_second: 0.1}
";

const TICKS: &str = "subscription { ticks }";

async fn router(tokens: &TestTokens) -> TestRouter {
    let shop = spawn_shop().await;
    TestRouter::start(settings(&shop, tokens, config(LIMITS))).await
}

/// A socket in `protocol`, initialised with `token` when given.
async fn connect(router: &TestRouter, protocol: &'static str, token: Option<&str>) -> Socket {
    let (mut socket, _) = open(&router.url.replace("http://", "ws://"), protocol).await;
    let payload = match token {
        Some(token) => json!({"Authorization": format!("Bearer {token}")}),
        None => json!({}),
    };
    init(&mut socket, payload).await;
    socket
}

/// Starts `ids` as subscriptions and reads until each has completed or
/// failed: the messages of each id, in order.
async fn run_all(
    socket: &mut Socket,
    start: &str,
    data: &str,
    ids: &[&str],
) -> HashMap<String, Vec<Value>> {
    for id in ids {
        send(
            socket,
            json!({"id": id, "type": start, "payload": {"query": TICKS}}),
        )
        .await;
    }
    let mut messages: HashMap<String, Vec<Value>> = HashMap::new();
    let mut open = ids.len();
    while open > 0 {
        let message = receive(socket).await;
        let id = message["id"].as_str().expect("an operation's message");
        let kind = message["type"].as_str().expect("type").to_owned();
        assert!(
            [data, "complete", "error"].contains(&kind.as_str()),
            "{message}"
        );
        messages.entry(id.to_owned()).or_default().push(message);
        if kind != data {
            open -= 1;
        }
    }
    messages
}

fn assert_limited(errors: &Value) {
    assert_eq!(errors[0]["extensions"]["code"], "RATE_LIMITED", "{errors}");
    let retry_after = errors[0]["extensions"]["retryAfter"]
        .as_u64()
        .expect("retryAfter");
    // A token of the live class refills in ten seconds.
    assert!((1..=10).contains(&retry_after), "{errors}");
}

/// Two of the four subscriptions stream all three ticks; the other two
/// are refused, each with its own error.
fn assert_two_streamed_two_limited(
    messages: &HashMap<String, Vec<Value>>,
    data: &str,
    errors_of: impl Fn(&Value) -> &Value,
) {
    let (mut streamed, mut limited) = (0, 0);
    for (id, messages) in messages {
        let kinds: Vec<&str> = messages
            .iter()
            .map(|m| m["type"].as_str().unwrap_or_default())
            .collect();
        if kinds == [data, data, data, "complete"] {
            let ticks: Vec<&Value> = messages[..3]
                .iter()
                .map(|m| &m["payload"]["data"]["ticks"])
                .collect();
            assert_eq!(ticks, [&json!(1), &json!(2), &json!(3)], "{id}");
            streamed += 1;
        } else {
            assert_eq!(kinds, ["error"], "{id}: {messages:?}");
            assert_limited(errors_of(&messages[0]));
            limited += 1;
        }
    }
    assert_eq!((streamed, limited), (2, 2), "{messages:?}");
}

#[tokio::test]
async fn graphql_transport_ws_subscriptions_past_the_bucket_are_refused_and_the_socket_goes_on() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    let ada = tokens.customer("ada");
    let mut socket = connect(&router, "graphql-transport-ws", Some(&ada)).await;
    let messages = run_all(&mut socket, "subscribe", "next", &["s1", "s2", "s3", "s4"]).await;
    assert_two_streamed_two_limited(&messages, "next", |m| &m["payload"]);
    // The socket is still open and serves operations of other classes.
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(receive(&mut socket).await["type"], "pong");
    send(
        &mut socket,
        json!({"id": "q", "type": "subscribe", "payload": {"query": "{ products { name } }"}}),
    )
    .await;
    let answer = receive(&mut socket).await;
    assert_eq!(answer["type"], "next", "{answer}");
    assert_eq!(answer["payload"]["data"]["products"][0]["name"], "Teapot");
    // The bucket is the user's, not the socket's: another socket of the
    // same user is limited, another user is not.
    let mut again = connect(&router, "graphql-transport-ws", Some(&ada)).await;
    let messages = run_all(&mut again, "subscribe", "next", &["s5"]).await;
    assert_limited(&messages["s5"][0]["payload"]);
    let alan = tokens.customer("alan");
    let mut other = connect(&router, "graphql-transport-ws", Some(&alan)).await;
    let messages = run_all(&mut other, "subscribe", "next", &["s6"]).await;
    assert_eq!(messages["s6"].last().expect("messages")["type"], "complete");
}

#[tokio::test]
async fn legacy_graphql_ws_anonymous_subscriptions_are_limited_by_address() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    let mut socket = connect(&router, "graphql-ws", None).await;
    let messages = run_all(&mut socket, "start", "data", &["s1", "s2", "s3", "s4"]).await;
    assert_two_streamed_two_limited(&messages, "data", |m| &m["payload"]["errors"]);
    // The same address on a new socket has no tokens left either.
    let mut again = connect(&router, "graphql-ws", None).await;
    let messages = run_all(&mut again, "start", "data", &["s5"]).await;
    assert_limited(&messages["s5"][0]["payload"]["errors"]);
    // The first socket still serves other operations.
    send(
        &mut socket,
        json!({"id": "q", "type": "start", "payload": {"query": "{ products { name } }"}}),
    )
    .await;
    let answer = receive(&mut socket).await;
    assert_eq!(answer["type"], "data", "{answer}");
    assert_eq!(answer["payload"]["data"]["products"][0]["name"], "Teapot");
}
