//! The RabbitMQ broker (lapin 3).
//!
//! Topology, declared idempotently on every (re)connect:
//! - `shopgraph.events`, a durable topic exchange every event is published
//!   to with its topic as the routing key;
//! - `shopgraph.dead-letter`, a fanout exchange with a durable queue of the
//!   same name, where a consumer queue sends events it gave up on;
//! - per consumer, a durable queue bound to its topics;
//! - per delayed (topic, delay), a durable queue `shopgraph.delay.<topic>.<ms>`
//!   without consumers whose messages expire after the delay (per-message and
//!   per-queue TTL) and dead-letter into `shopgraph.events` under the topic,
//!   so no delayed-message plugin is needed. One queue per delay keeps the
//!   head of each queue the first to expire.
//!
//! Every publish waits for the publisher confirm. A cut connection is noticed
//! by the next publish (which fails, so the outbox keeps the event) and by
//! each consumer, which reconnects with backoff and consumes again; events
//! it had not acknowledged are redelivered by RabbitMQ.

use std::{collections::HashMap, sync::Arc, time::Duration};

use anyhow::Context;
use async_trait::async_trait;
use futures::StreamExt;
use lapin::{
    BasicProperties, Channel, Connection, ConnectionProperties,
    options::{
        BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions,
        BasicQosOptions, ConfirmSelectOptions, QueueBindOptions,
    },
    types::{AMQPValue, FieldTable},
};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

mod topology;

use super::{Broker, Event, Handler, Subscription, redelivery_backoff};
use topology::{declare_delay_queue, declare_topology, delay_queue_name, durable_queue, text};

/// The topic exchange every event goes through.
pub const EXCHANGE: &str = "shopgraph.events";
/// Where consumers send the events they gave up on.
pub const DEAD_LETTER_EXCHANGE: &str = "shopgraph.dead-letter";
const DEAD_LETTER_QUEUE: &str = "shopgraph.dead-letter";

/// After this many failed deliveries an event is dead-lettered.
const MAX_DELIVERY_ATTEMPTS: u32 = 20;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(10);
const PREFETCH: u16 = 16;

#[derive(Clone)]
pub struct AmqpBroker {
    inner: Arc<Inner>,
    /// `x-expires` of the consumer queues this broker declares, if any.
    queue_expiry: Option<Duration>,
}

struct Inner {
    url: String,
    publisher: Mutex<Option<Publisher>>,
}

/// The publishing connection and its confirm-mode channel.
struct Publisher {
    connection: Connection,
    channel: Channel,
}

impl AmqpBroker {
    /// Connects to `url` and declares the shared topology, failing when
    /// RabbitMQ cannot be reached now (a later cut is survived).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let broker = Self {
            inner: Arc::new(Inner {
                url: url.to_owned(),
                publisher: Mutex::new(None),
            }),
            queue_expiry: None,
        };
        broker.publisher().await?;
        Ok(broker)
    }

    /// Consumer queues declared through this broker are deleted by RabbitMQ
    /// after `expiry` without consumers. For tests and other short-lived
    /// deployments on a shared RabbitMQ, so their queues do not pile up;
    /// production queues must outlive any outage and never expire.
    pub fn with_queue_expiry(mut self, expiry: Duration) -> Self {
        self.queue_expiry = Some(expiry);
        self
    }

    /// The confirm-mode publishing channel, reconnecting when it is gone.
    async fn publisher(&self) -> anyhow::Result<Channel> {
        let mut slot = self.inner.publisher.lock().await;
        if let Some(publisher) = slot.as_ref()
            && publisher.connection.status().connected()
            && publisher.channel.status().connected()
        {
            return Ok(publisher.channel.clone());
        }
        *slot = None;
        let connection = open(&self.inner.url).await?;
        let channel = connection.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        declare_topology(&channel).await?;
        *slot = Some(Publisher {
            connection,
            channel: channel.clone(),
        });
        Ok(channel)
    }

    /// Forgets the publishing connection after a failure, so the next
    /// publish opens a new one.
    async fn reset_publisher(&self) {
        if let Some(old) = self.inner.publisher.lock().await.take() {
            let _ = old.connection.close(200, "reconnecting").await;
        }
    }

    async fn publish_to(
        &self,
        exchange: &str,
        routing_key: &str,
        event: &Event,
        expiration: Option<Duration>,
    ) -> anyhow::Result<()> {
        let body = serde_json::to_vec(event)?;
        let outcome = async {
            let channel = self.publisher().await?;
            let mut properties = BasicProperties::default()
                .with_delivery_mode(2)
                .with_content_type("application/json".into())
                .with_message_id(event.id.as_str().into());
            if let Some(ttl) = expiration {
                properties = properties.with_expiration(ttl.as_millis().to_string().into());
            }
            if exchange.is_empty()
                && let Some(ttl) = expiration
            {
                declare_delay_queue(&channel, routing_key, &event.topic, ttl).await?;
            }
            let confirm = channel
                .basic_publish(
                    exchange,
                    routing_key,
                    BasicPublishOptions::default(),
                    &body,
                    properties,
                )
                .await?;
            let confirmation = tokio::time::timeout(CONFIRM_TIMEOUT, confirm)
                .await
                .context("no publisher confirm from RabbitMQ in time")??;
            anyhow::ensure!(confirmation.is_ack(), "RabbitMQ refused the event (nack)");
            Ok(())
        }
        .await;
        if outcome.is_err() {
            self.reset_publisher().await;
        }
        outcome
    }
}

async fn open(url: &str) -> anyhow::Result<Connection> {
    tokio::time::timeout(
        CONNECT_TIMEOUT,
        Connection::connect(url, ConnectionProperties::default()),
    )
    .await
    .context("connecting to RabbitMQ timed out")?
    .context("connecting to RabbitMQ")
}

#[async_trait]
impl Broker for AmqpBroker {
    async fn publish(&self, event: &Event) -> anyhow::Result<()> {
        self.publish_to(EXCHANGE, &event.topic, event, None).await
    }

    async fn publish_delayed(&self, event: &Event, delay: Duration) -> anyhow::Result<()> {
        // RabbitMQ rejects a zero TTL queue argument of no use; deliver now.
        if delay.is_zero() {
            return self.publish(event).await;
        }
        let queue = delay_queue_name(&event.topic, delay);
        self.publish_to("", &queue, event, Some(delay)).await
    }

    async fn subscribe(
        &self,
        queue: &str,
        topics: &[&str],
        handler: Handler,
    ) -> anyhow::Result<Subscription> {
        let consumer = Consumer {
            url: self.inner.url.clone(),
            queue: queue.to_owned(),
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            handler,
            cancel: CancellationToken::new(),
            expiry: self.queue_expiry,
        };
        // Declare and bind before returning, so events published after
        // `subscribe` returns are kept even before the consumer runs.
        let connection = open(&consumer.url).await?;
        let channel = connection.create_channel().await?;
        consumer.declare(&channel).await?;
        let _ = connection.close(200, "declared").await;
        let cancel = consumer.cancel.clone();
        tokio::spawn(consumer.run());
        Ok(Subscription::new(cancel))
    }
}

struct Consumer {
    url: String,
    queue: String,
    topics: Vec<String>,
    handler: Handler,
    cancel: CancellationToken,
    expiry: Option<Duration>,
}

impl Consumer {
    async fn declare(&self, channel: &Channel) -> anyhow::Result<()> {
        declare_topology(channel).await?;
        let mut args = FieldTable::default();
        args.insert("x-dead-letter-exchange".into(), text(DEAD_LETTER_EXCHANGE));
        if let Some(expiry) = self.expiry {
            args.insert(
                "x-expires".into(),
                AMQPValue::LongLongInt(expiry.as_millis().clamp(1, i64::MAX as u128) as i64),
            );
        }
        channel
            .queue_declare(&self.queue, durable_queue(), args)
            .await?;
        for topic in &self.topics {
            channel
                .queue_bind(
                    &self.queue,
                    EXCHANGE,
                    topic,
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(())
    }

    /// Consumes until cancelled, reconnecting with backoff whenever the
    /// connection or channel fails.
    async fn run(self) {
        let mut failures: u32 = 0;
        // Failed attempts per event id, so a poison event ends up
        // dead-lettered instead of looping forever.
        let mut attempts: HashMap<String, u32> = HashMap::new();
        loop {
            match self.consume(&mut attempts, &mut failures).await {
                Ok(()) => return,
                Err(error) => {
                    failures = failures.saturating_add(1);
                    let delay = Duration::from_millis((100u64 << failures.min(6)).min(5_000));
                    tracing::warn!(queue = %self.queue, error = %error, ?delay,
                        "RabbitMQ consumer lost its connection; reconnecting");
                    tokio::select! {
                        _ = self.cancel.cancelled() => return,
                        _ = tokio::time::sleep(delay) => {}
                    }
                }
            }
        }
    }

    async fn consume(
        &self,
        attempts: &mut HashMap<String, u32>,
        failures: &mut u32,
    ) -> anyhow::Result<()> {
        let connection = open(&self.url).await?;
        let channel = connection.create_channel().await?;
        channel
            .basic_qos(PREFETCH, BasicQosOptions::default())
            .await?;
        self.declare(&channel).await?;
        let tag = format!("{}-{}", self.queue, uuid::Uuid::new_v4().simple());
        let mut deliveries = channel
            .basic_consume(
                &self.queue,
                &tag,
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        *failures = 0;
        loop {
            let delivery = tokio::select! {
                _ = self.cancel.cancelled() => {
                    // Unacknowledged deliveries go back to the queue.
                    let _ = connection.close(200, "consumer stopped").await;
                    return Ok(());
                }
                next = deliveries.next() => match next {
                    Some(delivery) => delivery?,
                    None => anyhow::bail!("the consumer was cancelled by RabbitMQ"),
                },
            };
            let Ok(event) = serde_json::from_slice::<Event>(&delivery.data) else {
                tracing::error!(queue = %self.queue, "undecodable event; dead-lettering it");
                delivery
                    .nack(BasicNackOptions {
                        requeue: false,
                        ..BasicNackOptions::default()
                    })
                    .await?;
                continue;
            };
            let id = event.id.clone();
            let topic = event.topic.clone();
            let mut task = tokio::spawn((self.handler)(event));
            let outcome = tokio::select! {
                joined = &mut task => joined,
                _ = self.cancel.cancelled() => {
                    task.abort();
                    let _ = connection.close(200, "consumer stopped").await;
                    return Ok(());
                }
            };
            match outcome {
                Ok(Ok(())) => {
                    attempts.remove(&id);
                    delivery.ack(BasicAckOptions::default()).await?;
                }
                failed => {
                    let error = match failed {
                        Ok(Err(e)) => e.to_string(),
                        Err(join) => join.to_string(),
                        Ok(Ok(())) => String::new(),
                    };
                    let count = attempts.entry(id.clone()).or_insert(0);
                    *count += 1;
                    let give_up = *count >= MAX_DELIVERY_ATTEMPTS;
                    tracing::warn!(queue = %self.queue, %topic, attempts = *count, %error,
                        give_up, "event handler failed");
                    if give_up {
                        attempts.remove(&id);
                    } else {
                        tokio::time::sleep(redelivery_backoff(*count)).await;
                    }
                    delivery
                        .nack(BasicNackOptions {
                            requeue: !give_up,
                            ..BasicNackOptions::default()
                        })
                        .await?;
                }
            }
        }
    }
}
