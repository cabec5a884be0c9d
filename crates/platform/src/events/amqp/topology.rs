//! The broker's topology (the module's documentation lists it), declared
//! idempotently on every (re)connect.

use std::time::Duration;

use lapin::{
    Channel, ExchangeKind,
    options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions},
    types::{AMQPValue, FieldTable},
};

use super::{DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, EXCHANGE};

fn durable_exchange() -> ExchangeDeclareOptions {
    ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    }
}

pub(super) fn durable_queue() -> QueueDeclareOptions {
    QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    }
}

pub(super) fn text(value: &str) -> AMQPValue {
    AMQPValue::LongString(value.into())
}

pub(super) async fn declare_topology(channel: &Channel) -> anyhow::Result<()> {
    channel
        .exchange_declare(
            EXCHANGE,
            ExchangeKind::Topic,
            durable_exchange(),
            FieldTable::default(),
        )
        .await?;
    channel
        .exchange_declare(
            DEAD_LETTER_EXCHANGE,
            ExchangeKind::Fanout,
            durable_exchange(),
            FieldTable::default(),
        )
        .await?;
    channel
        .queue_declare(DEAD_LETTER_QUEUE, durable_queue(), FieldTable::default())
        .await?;
    channel
        .queue_bind(
            DEAD_LETTER_QUEUE,
            DEAD_LETTER_EXCHANGE,
            "",
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(())
}

/// The name of the holding queue for `topic` delayed by `delay`.
pub(super) fn delay_queue_name(topic: &str, delay: Duration) -> String {
    format!("shopgraph.delay.{topic}.{}", delay.as_millis())
}

pub(super) async fn declare_delay_queue(
    channel: &Channel,
    name: &str,
    topic: &str,
    delay: Duration,
) -> anyhow::Result<()> {
    let mut args = FieldTable::default();
    args.insert(
        "x-message-ttl".into(),
        AMQPValue::LongLongInt(delay.as_millis().min(i64::MAX as u128) as i64),
    );
    args.insert("x-dead-letter-exchange".into(), text(EXCHANGE));
    args.insert("x-dead-letter-routing-key".into(), text(topic));
    // Every delayed publish redeclares the queue, which restarts this
    // clock; it runs out only after the last message has expired, so idle
    // delay queues (say, of a delay setting no longer used) go away.
    let expires = delay.saturating_mul(2) + Duration::from_secs(60);
    args.insert(
        "x-expires".into(),
        AMQPValue::LongLongInt(expires.as_millis().min(i64::MAX as u128) as i64),
    );
    channel.queue_declare(name, durable_queue(), args).await?;
    Ok(())
}
