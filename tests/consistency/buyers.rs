//! The buyers: each places one order, then pays, cancels or walks away, as
//! a real client does: on a timeout or an error that is not a business
//! answer it retries with the same idempotency key, a little later. Every
//! request and its outcome goes into the buyer's history, which a
//! violation prints.

use std::{
    fmt,
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::{shop::Shop, subscribers::Subscribers};

/// How many times a client tries one operation before it gives up.
const ATTEMPTS: u32 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Pay,
    Cancel,
    /// Leaves the order unpaid, for the payment timeout to cancel.
    LeaveUnpaid,
    /// Gives up on the checkout at its first failure (a closed tab):
    /// whatever it had reserved must come back by itself.
    Abandon,
}

pub struct Buyer {
    pub user_id: String,
    pub sku: usize,
    pub quantity: i64,
    pub flash: bool,
    pub plan: Plan,
    /// When it starts, from the start of the run.
    pub start_after: Duration,
    /// Whether its order is followed by subscribers (it and an
    /// administrator) from when it is stored.
    pub followed: bool,
}

/// One request of a buyer and what came of it.
pub struct Step {
    pub at: Duration,
    pub op: &'static str,
    pub attempt: u32,
    pub outcome: String,
}

pub struct History {
    pub user_id: String,
    pub sku_id: String,
    pub quantity: i64,
    pub flash: bool,
    pub plan: Plan,
    pub order_id: Option<String>,
    pub steps: Vec<Step>,
}

impl fmt::Display for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  buyer {} ({:?}{}), {} x SKU {}, order {}:",
            self.user_id,
            self.plan,
            if self.flash { ", flash sale" } else { "" },
            self.quantity,
            self.sku_id,
            self.order_id.as_deref().unwrap_or("none"),
        )?;
        for step in &self.steps {
            writeln!(
                f,
                "    {:>7.3}s {} #{}: {}",
                step.at.as_secs_f64(),
                step.op,
                step.attempt,
                step.outcome
            )?;
        }
        Ok(())
    }
}

/// What one attempt came to.
enum Attempt {
    /// A definite answer: stop trying.
    Done(Value),
    /// A business refusal (out of stock, sold out…): stop trying.
    Refused(String),
    /// A timeout, a cut connection, an internal error: try again.
    Failed(String),
}

pub async fn run(
    shop: Arc<Shop>,
    subscribers: Arc<Subscribers>,
    buyer: Buyer,
    epoch: Instant,
) -> History {
    tokio::time::sleep(buyer.start_after).await;
    let mut history = History {
        user_id: buyer.user_id.clone(),
        sku_id: shop.skus[buyer.sku].id.clone(),
        quantity: buyer.quantity,
        flash: buyer.flash,
        plan: buyer.plan,
        order_id: None,
        steps: Vec::new(),
    };
    let key = uuid::Uuid::new_v4().to_string();
    // Known before any reply, so a reservation whose reply was lost still
    // leads back to the buyer who made it.
    history.order_id = Some(order_id_for(&buyer.user_id, &key));
    let token = shop.tokens.customer(&buyer.user_id);
    let orders = shop.orders_url.clone();
    let mut input = json!({
        "lines": [{ "skuId": history.sku_id, "quantity": buyer.quantity }],
        "shippingAddress": { "recipient": "张三", "phone": "+86 138 0000 0000",
            "line1": "1 Century Avenue", "city": "上海", "postalCode": "200120", "country": "CN" },
        "idempotencyKey": key,
    });
    if buyer.flash {
        input["flashSaleId"] = json!(shop.flash_sale.as_ref().expect("a flash sale").id);
    }
    let give_up_early = buyer.plan == Plan::Abandon;
    // A queued flash-sale checkout the service forgot (its queue died with
    // a killed process) is placed again with the same key, as a client
    // that polls an unknown placement would.
    let mut order_id = None;
    for _round in 0..3 {
        let placed = retrying(&mut history, epoch, "placeOrder", give_up_early, || async {
            let body = shop
                .graphql(
                    &orders,
                    "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } placement { orderId status } errors { code message } } }",
                    json!({ "input": input }),
                    &token,
                )
                .await;
            judge(body, "placeOrder")
        })
        .await;
        let Some(placed) = placed else {
            return history;
        };
        let id = placed["order"]["id"]
            .as_str()
            .or(placed["placement"]["orderId"].as_str())
            .map(str::to_owned);
        if id.is_some() {
            history.order_id = id.clone();
        }
        if placed["placement"]["status"] != "QUEUED" {
            order_id = id;
            break;
        }
        match wait_for_placement(&shop, &mut history, epoch, &token, id).await {
            Placement::Stored(id) => {
                order_id = Some(id);
                break;
            }
            Placement::Refused => return history,
            Placement::Unknown if give_up_early => return history,
            Placement::Unknown => continue,
        }
    }
    let Some(order_id) = order_id else {
        return history;
    };
    if buyer.followed {
        let admin = shop.tokens.token("consistency-admin", "customer admin");
        subscribers.follow(&shop, &order_id, buyer.user_id.clone(), token.clone());
        subscribers.follow(&shop, &order_id, "an administrator".to_owned(), admin);
    }
    match buyer.plan {
        Plan::Pay => {
            let payment_key = uuid::Uuid::new_v4().to_string();
            retrying(&mut history, epoch, "payOrder", false, || async {
                let body = shop
                    .graphql(
                        &orders,
                        "mutation($id: ID!, $key: String!) { payOrder(orderId: $id, method: CARD, idempotencyKey: $key) { payment { id status } errors { code message } } }",
                        json!({ "id": order_id, "key": payment_key }),
                        &token,
                    )
                    .await;
                judge(body, "payOrder")
            })
            .await;
        }
        Plan::Cancel => {
            retrying(&mut history, epoch, "cancelOrder", false, || async {
                let body = shop
                    .graphql(
                        &orders,
                        "mutation($id: ID!) { cancelOrder(orderId: $id) { order { id status } errors { code message } } }",
                        json!({ "id": order_id }),
                        &token,
                    )
                    .await;
                judge(body, "cancelOrder")
            })
            .await;
        }
        Plan::LeaveUnpaid | Plan::Abandon => {}
    }
    history
}

enum Placement {
    Stored(String),
    Refused,
    /// The service no longer knows the placement (or never answered).
    Unknown,
}

/// A queued flash-sale checkout: polls `orderPlacement` until it is stored
/// or refused, or the service has not known it for a while.
async fn wait_for_placement(
    shop: &Shop,
    history: &mut History,
    epoch: Instant,
    token: &str,
    order_id: Option<String>,
) -> Placement {
    let Some(order_id) = order_id else {
        return Placement::Unknown;
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut unknown_in_a_row = 0;
    let mut attempt = 0;
    while Instant::now() < deadline && unknown_in_a_row < 8 {
        attempt += 1;
        let body = shop
            .graphql(
                &shop.orders_url,
                "query($id: ID!) { orderPlacement(orderId: $id) { status order { id } error { code message } } }",
                json!({ "id": order_id }),
                token,
            )
            .await;
        let placement = body
            .as_ref()
            .ok()
            .map(|b| b["data"]["orderPlacement"].clone());
        let status = placement
            .as_ref()
            .and_then(|p| p["status"].as_str())
            .map(str::to_owned);
        let outcome = match (&body, &status) {
            (Ok(_), Some(status)) => format!("{status} {}", placement.unwrap_or_default()),
            (Ok(body), None) => format!("unknown: {body}"),
            (Err(e), _) => e.clone(),
        };
        history.steps.push(Step {
            at: epoch.elapsed(),
            op: "orderPlacement",
            attempt,
            outcome,
        });
        match (&body, status.as_deref()) {
            (_, Some("PLACED")) => return Placement::Stored(order_id),
            (_, Some("QUEUED")) | (Err(_), _) => unknown_in_a_row = 0,
            (Ok(_), None) => unknown_in_a_row += 1,
            (_, Some(_)) => return Placement::Refused,
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Placement::Unknown
}

/// Runs `attempt` until it gives a definite answer; `None` when refused or
/// given up.
async fn retrying<F, Fut>(
    history: &mut History,
    epoch: Instant,
    op: &'static str,
    give_up_early: bool,
    mut attempt: F,
) -> Option<Value>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Attempt>,
{
    for n in 1..=ATTEMPTS {
        let outcome = attempt().await;
        let (text, result, again) = match outcome {
            Attempt::Done(value) => (format!("ok {value}"), Some(value), false),
            Attempt::Refused(why) => (format!("refused {why}"), None, false),
            Attempt::Failed(why) => (format!("failed {why}"), None, !give_up_early),
        };
        history.steps.push(Step {
            at: epoch.elapsed(),
            op,
            attempt: n,
            outcome: text,
        });
        if !again {
            return result;
        }
        // Backs off like a client would, so a restart can finish.
        tokio::time::sleep(Duration::from_millis(200 * u64::from(n.min(5)))).await;
    }
    None
}

/// Sorts a response into done, refused (a business error in the payload)
/// or failed (no answer, or a GraphQL error: worth retrying).
fn judge(body: Result<Value, String>, field: &str) -> Attempt {
    let body = match body {
        Ok(body) => body,
        Err(why) => return Attempt::Failed(why),
    };
    if let Some(errors) = body.get("errors") {
        return Attempt::Failed(format!("errors {errors}"));
    }
    let payload = &body["data"][field];
    match payload["errors"].as_array() {
        Some(errors) if !errors.is_empty() => Attempt::Refused(payload["errors"].to_string()),
        Some(_) => Attempt::Done(payload.clone()),
        None => Attempt::Failed(format!("no payload: {body}")),
    }
}

/// The order id the orders service derives from a buyer and an idempotency
/// key (orders' `checkout::order_id_for`), to tie a reservation whose reply
/// never arrived to its buyer. Should the derivation change, histories are
/// still printed, only without this link.
fn order_id_for(user_id: &str, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"shopgraph-order\0")
        .chain_update(user_id.as_bytes())
        .chain_update(b"\0")
        .chain_update(key.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}
