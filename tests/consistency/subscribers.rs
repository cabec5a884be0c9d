//! Subscribers following orders over `orderStatusChanged`: WebSocket
//! clients (graphql-transport-ws) of the orders service, which the buyers
//! talk to as well. A subscription that ends (the process killed, its
//! fan-out cut) is opened again, as a real client does: its first message
//! says where the order stands. Everything a subscriber hears is logged,
//! for the invariant that each transition reaches it once
//! (`invariants::delivery`).

use std::{
    fmt,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
use tokio_util::sync::CancellationToken;

use crate::shop::{REQUEST_TIMEOUT, Shop};

/// How long a subscriber waits before it subscribes again.
const RESUBSCRIBE_AFTER: Duration = Duration::from_millis(300);

const SUBSCRIPTION: &str =
    "subscription($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus } }";

/// One thing a subscriber heard.
#[derive(Clone, Debug)]
pub enum Heard {
    /// A status message; `previous: None` is a subscription's first one.
    Status {
        status: String,
        previous: Option<String>,
    },
    /// An error message (its code).
    Error(String),
    /// The subscription ended, and why; it is opened again.
    Ended(String),
}

#[derive(Clone, Debug)]
pub struct Received {
    /// From the start of the run.
    pub at: Duration,
    pub heard: Heard,
}

/// What one subscriber heard of one order.
#[derive(Clone)]
pub struct Follow {
    pub order_id: String,
    pub subscriber: String,
    pub log: Vec<Received>,
}

impl fmt::Display for Follow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  {} heard of order {}:", self.subscriber, self.order_id)?;
        for received in &self.log {
            let what = match &received.heard {
                Heard::Status {
                    status,
                    previous: None,
                } => format!("first message: {status}"),
                Heard::Status {
                    status,
                    previous: Some(previous),
                } => format!("{previous} -> {status}"),
                Heard::Error(code) => format!("error {code}"),
                Heard::Ended(why) => format!("ended ({why}); subscribing again"),
            };
            writeln!(f, "    {:>7.3}s {what}", received.at.as_secs_f64())?;
        }
        Ok(())
    }
}

struct Following {
    order_id: String,
    subscriber: String,
    log: Arc<Mutex<Vec<Received>>>,
}

/// Every subscriber of a run, until [`Subscribers::stop`].
pub struct Subscribers {
    epoch: Instant,
    stop: CancellationToken,
    following: Mutex<Vec<Following>>,
}

impl Subscribers {
    pub fn new(epoch: Instant) -> Subscribers {
        Subscribers {
            epoch,
            stop: CancellationToken::new(),
            following: Mutex::new(Vec::new()),
        }
    }

    /// Starts `subscriber` (signed in with `token`) following `order_id`.
    pub fn follow(&self, shop: &Shop, order_id: &str, subscriber: String, token: String) {
        let log = Arc::new(Mutex::new(Vec::new()));
        self.following
            .lock()
            .expect("the subscribers' list")
            .push(Following {
                order_id: order_id.to_owned(),
                subscriber,
                log: log.clone(),
            });
        let url = format!("{}/graphql", shop.orders_url.replacen("http", "ws", 1));
        let (order_id, stop, epoch) = (order_id.to_owned(), self.stop.clone(), self.epoch);
        tokio::spawn(async move {
            let heard = |heard: Heard| {
                let mut log = log.lock().expect("a subscriber's log");
                // A streak of failed attempts (the process is restarting)
                // is one ending.
                let repeat = matches!(
                    (&heard, log.last()),
                    (
                        Heard::Ended(_),
                        Some(Received {
                            heard: Heard::Ended(_),
                            ..
                        })
                    )
                );
                if !repeat {
                    log.push(Received {
                        at: epoch.elapsed(),
                        heard,
                    });
                }
            };
            while !stop.is_cancelled() {
                let why = tokio::select! {
                    () = stop.cancelled() => return,
                    why = subscribe_once(&url, &token, &order_id, &heard) => why,
                };
                heard(Heard::Ended(why));
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(RESUBSCRIBE_AFTER) => {}
                }
            }
        });
    }

    /// What every subscriber heard so far.
    pub fn follows(&self) -> Vec<Follow> {
        self.following
            .lock()
            .expect("the subscribers' list")
            .iter()
            .map(|f| Follow {
                order_id: f.order_id.clone(),
                subscriber: f.subscriber.clone(),
                log: f.log.lock().expect("a subscriber's log").clone(),
            })
            .collect()
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }
}

/// One subscription, from connecting until it ends; returns why it ended.
async fn subscribe_once(url: &str, token: &str, order_id: &str, heard: &impl Fn(Heard)) -> String {
    let mut request = url.into_client_request().expect("a WebSocket request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("a header"),
    );
    let socket = tokio::time::timeout(REQUEST_TIMEOUT, tokio_tungstenite::connect_async(request));
    let mut socket = match socket.await {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(e)) => return format!("connecting: {e}"),
        Err(_) => return "connecting: timeout".into(),
    };
    let init = json!({ "type": "connection_init",
        "payload": { "Authorization": format!("Bearer {token}") } });
    if let Err(e) = socket.send(Message::Text(init.to_string().into())).await {
        return format!("sending: {e}");
    }
    // Subscribing only once acknowledged, as the protocol asks.
    let acknowledged = tokio::time::timeout(REQUEST_TIMEOUT, async {
        while let Some(Ok(frame)) = socket.next().await {
            if let Message::Text(text) = frame
                && serde_json::from_str::<Value>(text.as_str())
                    .is_ok_and(|m| m["type"] == "connection_ack")
            {
                return true;
            }
        }
        false
    });
    if !acknowledged.await.unwrap_or(false) {
        return "not acknowledged".into();
    }
    let subscribe = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": SUBSCRIPTION, "variables": { "id": order_id } } });
    if let Err(e) = socket
        .send(Message::Text(subscribe.to_string().into()))
        .await
    {
        return format!("sending: {e}");
    }
    // No timeout from here on: an order may stay quiet for the whole run.
    while let Some(frame) = socket.next().await {
        let text = match frame {
            Ok(Message::Text(text)) => text,
            Ok(Message::Close(frame)) => return format!("closed by the server: {frame:?}"),
            Ok(_) => continue,
            Err(e) => return format!("the connection broke: {e}"),
        };
        let Ok(message) = serde_json::from_str::<Value>(text.as_str()) else {
            return format!("not JSON: {text}");
        };
        match message["type"].as_str() {
            Some("ping") => {
                let pong = json!({ "type": "pong" }).to_string();
                if socket.send(Message::Text(pong.into())).await.is_err() {
                    return "the connection broke".into();
                }
            }
            Some("next") => heard(from_payload(&message["payload"])),
            Some("error") => heard(Heard::Error(error_code(&message["payload"][0]))),
            Some("complete") => return "completed by the server".into(),
            _ => {}
        }
    }
    "the connection ended".into()
}

fn from_payload(payload: &Value) -> Heard {
    if let Some(error) = payload["errors"].get(0) {
        return Heard::Error(error_code(error));
    }
    let change = &payload["data"]["orderStatusChanged"];
    Heard::Status {
        status: change["status"].as_str().unwrap_or("?").to_owned(),
        previous: change["previousStatus"].as_str().map(str::to_owned),
    }
}

fn error_code(error: &Value) -> String {
    error["extensions"]["code"]
        .as_str()
        .map_or_else(|| error.to_string(), str::to_owned)
}

/// The subscribers' figures, for the run's summary line.
pub fn summarize(follows: &[Follow]) -> String {
    let count = |pick: fn(&Heard) -> bool| {
        follows
            .iter()
            .flat_map(|f| &f.log)
            .filter(|r| pick(&r.heard))
            .count()
    };
    let changes = count(|h| {
        matches!(
            h,
            Heard::Status {
                previous: Some(_),
                ..
            }
        )
    });
    let ended = count(|h| matches!(h, Heard::Ended(_)));
    format!(
        "{} subscribers heard {changes} transitions; {ended} subscriptions ended and were opened again",
        follows.len()
    )
}
