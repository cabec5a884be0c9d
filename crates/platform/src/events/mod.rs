//! Domain events between services: the [`Event`] envelope, the [`Broker`]
//! that carries it (RabbitMQ in production, in-process embedded; one
//! delivery contract), the transactional outbox that feeds the broker, and
//! the processed-message table that makes consumers idempotent (both
//! tables declared once, in [`tables`]).
//!
//! The contract every broker keeps:
//! - `publish` returns only after the broker holds the event (a publisher
//!   confirm on RabbitMQ), so the outbox relay may mark the row as sent.
//! - Delivery is at least once: an event whose handler fails, or whose
//!   consumer stops before it acknowledged, is delivered again. Handlers must
//!   therefore be idempotent ([`idempotency::first_delivery`]).
//! - A queue subscribed to topics keeps the events published to those topics
//!   from the moment it was first declared, also while no consumer runs.
//! - `publish_delayed` delivers the event to the topic's queues after the
//!   delay (order payment timeouts).

mod amqp;
pub mod idempotency;
mod memory;
pub mod outbox;
pub mod proxy;
pub mod tables;
mod topic;

use std::{future::Future, sync::Arc, time::Duration};

use async_trait::async_trait;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

pub use amqp::{AmqpBroker, EXCHANGE};
pub use memory::InProcessBroker;
pub use topic::topic_matches;

/// One domain event, e.g. `order.paid` with the order in its payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// A UUID; consumers de-duplicate on it. [`Event::new`] makes version 7
    /// ids, which sort in creation order, so the outbox relay publishes
    /// events of the same millisecond in the order they were made.
    pub id: String,
    /// Dotted routing key such as `order.paid` or `product.changed`.
    pub topic: String,
    pub payload: serde_json::Value,
    /// Milliseconds since the Unix epoch.
    pub occurred_at: i64,
}

impl Event {
    /// A new event with a fresh id, occurring now.
    pub fn new(topic: impl Into<String>, payload: serde_json::Value) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            topic: topic.into(),
            payload,
            occurred_at: crate::db::now_millis(),
        }
    }
}

/// What a consumer does with one delivery. `Ok` acknowledges it; `Err`
/// leaves it to be delivered again after a short pause.
pub type Handler = Arc<dyn Fn(Event) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// Wraps an async closure as a [`Handler`].
pub fn handler<F, Fut>(f: F) -> Handler
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    Arc::new(move |event| Box::pin(f(event)))
}

/// A running consumer; it stops when this handle is dropped or stopped.
/// An event it was handling at that moment is delivered again later.
#[must_use = "the consumer stops when its Subscription is dropped"]
pub struct Subscription {
    cancel: CancellationToken,
}

impl Subscription {
    pub(crate) fn new(cancel: CancellationToken) -> Self {
        Self { cancel }
    }

    pub fn stop(self) {}
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A message broker with the delivery contract of this module.
#[async_trait]
pub trait Broker: Send + Sync {
    /// Publishes `event` to its topic; returns once the broker confirmed it.
    async fn publish(&self, event: &Event) -> anyhow::Result<()>;

    /// Publishes `event` to its topic `delay` from now; returns once the
    /// broker confirmed that it holds the delayed message.
    async fn publish_delayed(&self, event: &Event, delay: Duration) -> anyhow::Result<()>;

    /// Declares the durable queue `queue` bound to `topics` (AMQP topic
    /// patterns: `*` one word, `#` any words) and consumes it with `handler`.
    /// Several subscriptions to one queue share its events (competing
    /// consumers, e.g. replicas of a service).
    async fn subscribe(
        &self,
        queue: &str,
        topics: &[&str],
        handler: Handler,
    ) -> anyhow::Result<Subscription>;
}

/// The broker a service uses: RabbitMQ when `amqp_url` is given (from
/// `AMQP_URL`), else a new in-process broker. In the all-in-one process one
/// in-process broker is made once and handed to every service instead.
pub async fn connect(amqp_url: Option<&str>) -> anyhow::Result<Arc<dyn Broker>> {
    Ok(match amqp_url {
        Some(url) => Arc::new(AmqpBroker::connect(url).await?),
        None => Arc::new(InProcessBroker::new()),
    })
}

/// `shared` when the all-in-one process handed the service its broker,
/// else the service's own (see [`connect`]).
pub async fn shared_or_connect(
    shared: Option<&Arc<dyn Broker>>,
    amqp_url: Option<&str>,
) -> anyhow::Result<Arc<dyn Broker>> {
    match shared {
        Some(broker) => Ok(broker.clone()),
        None => connect(amqp_url).await,
    }
}

/// How long a consumer waits before an event whose handler failed is
/// delivered again: grows with the attempts, at most five seconds.
pub(crate) fn redelivery_backoff(attempt: u32) -> Duration {
    Duration::from_millis((50u64 << attempt.min(7)).min(5_000))
}
