//! What the orders service consumes from the broker: its queues, the
//! topics each is bound to, and how many consumers each gets. What an event
//! does is the service's ([`Handlers`], built by `service::consumers`):
//! - `{namespace}.payment-timeout`: `order.payment_timeout` (its own
//!   delayed message);
//! - `{namespace}.stock-release`: `order.cancelled` / `order.refunded` /
//!   `order.returned`;
//! - `{namespace}.refunds`: `payment.refund_required`;
//! - `{namespace}.flash-placement`: admitted flash-sale orders
//!   (`orders.flash_admitted.{namespace}`).
//!
//! Queue names start with `namespace`, so replicas of one deployment share
//! them and separate deployments (or tests) on one RabbitMQ do not.

use anyhow::Context;
use contracts::events::{
    order::{ORDER_CANCELLED, ORDER_REFUNDED, ORDER_RETURNED, OrderEvent},
    payment_timeout, refund_required,
};
use platform::events::{Broker, Event, Handler, Subscription};
use serde::Deserialize;

/// What each queue's consumers do with an event.
pub struct Handlers {
    pub payment_timeout: Handler,
    pub stock_release: Handler,
    pub refunds: Handler,
    /// Shared by every placement consumer.
    pub flash_placement: Handler,
}

/// The payment-timeout queue, which is also the name its consumer records
/// processed deliveries under.
pub fn payment_timeout_queue(namespace: &str) -> String {
    format!("{namespace}.payment-timeout")
}

/// The order an order event (`contracts::events::order`) is about.
pub fn order_id(event: &Event) -> anyhow::Result<String> {
    OrderEvent::deserialize(&event.payload)
        .context("an unreadable order event")?
        .order_id
        .context("an order event without orderId")
}

/// Subscribes `handlers` to their queues.
pub async fn subscribe(
    broker: &dyn Broker,
    namespace: &str,
    handlers: Handlers,
) -> anyhow::Result<Vec<Subscription>> {
    let timeouts = broker
        .subscribe(
            &payment_timeout_queue(namespace),
            &[payment_timeout::TOPIC],
            handlers.payment_timeout,
        )
        .await?;
    let releases = broker
        .subscribe(
            &format!("{namespace}.stock-release"),
            &[ORDER_CANCELLED, ORDER_REFUNDED, ORDER_RETURNED],
            handlers.stock_release,
        )
        .await?;
    let refunds = broker
        .subscribe(
            &format!("{namespace}.refunds"),
            &[refund_required::TOPIC],
            handlers.refunds,
        )
        .await?;
    let mut subscriptions = vec![timeouts, releases, refunds];
    subscriptions.extend(placements(broker, namespace, handlers.flash_placement).await?);
    Ok(subscriptions)
}

/// Placement consumers per replica: each stores one order at a time, so
/// this many orders are stored at once while the catalog answers a
/// reservation.
const WORKERS: usize = 4;

/// Subscribes the flash-sale placement consumers to
/// `{namespace}.flash-placement` (`service::flash::placement`).
async fn placements(
    broker: &dyn Broker,
    namespace: &str,
    handle: Handler,
) -> anyhow::Result<Vec<Subscription>> {
    let queue = format!("{namespace}.flash-placement");
    let topic = super::admitted_topic(namespace);
    let mut subscriptions = Vec::with_capacity(WORKERS);
    for _ in 0..WORKERS {
        subscriptions.push(
            broker
                .subscribe(&queue, &[topic.as_str()], handle.clone())
                .await?,
        );
    }
    Ok(subscriptions)
}
