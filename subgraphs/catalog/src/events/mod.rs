//! What the catalog publishes and consumes. It publishes `product.changed`
//! and `stock.changed` through the transactional outbox (written in the
//! service's transaction, sent by the relay started here); it consumes the orders service's
//! `order.paid`/`order.refunded` into sales counts and purchases, the use
//! case being `service::Catalog::apply_order_event`.

pub mod product_changed;
pub mod stock_changed;

use std::{future::Future, sync::Arc, time::Duration};

use contracts::events::order::{ORDER_PAID, ORDER_REFUNDED};
use platform::{
    db::Db,
    events::{
        Broker, Event, Subscription, handler,
        outbox::{self, Relay, RelayOptions},
    },
};
use serde::Serialize;
use sqlx::AnyConnection;

/// The order events that change sales counts.
pub const SALES_TOPICS: [&str; 2] = [ORDER_PAID, ORDER_REFUNDED];

/// The sales consumer's name in `processed_message`.
pub const SALES_CONSUMER: &str = "catalog.sales-count";

/// Writes one event on `topic` per payload to the outbox, inside the
/// caller's transaction.
async fn enqueue<T: Serialize>(
    conn: &mut AnyConnection,
    topic: &str,
    payloads: &[T],
) -> anyhow::Result<()> {
    for payload in payloads {
        let event = Event::new(topic, serde_json::to_value(payload)?);
        outbox::enqueue(conn, &event).await?;
    }
    Ok(())
}

/// The relay that publishes the outbox to `broker`.
pub fn relay(db: Db, broker: Arc<dyn Broker>, poll_interval: Duration) -> Relay {
    Relay::new(
        db,
        broker,
        RelayOptions {
            poll_interval,
            ..RelayOptions::default()
        },
    )
}

/// Consumes `order.paid`/`order.refunded` with `apply`.
pub async fn subscribe_sales<F, Fut>(
    broker: &dyn Broker,
    namespace: &str,
    apply: F,
) -> anyhow::Result<Subscription>
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    broker
        .subscribe(
            &format!("{namespace}.sales-count"),
            &SALES_TOPICS,
            handler(apply),
        )
        .await
}
