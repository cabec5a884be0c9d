//! What the orders service consumes from the broker:
//! - `order.payment_timeout` (its own delayed message): cancels the order
//!   if it is still unpaid; a duplicate delivery finds it cancelled (or is
//!   skipped as already processed) and changes nothing;
//! - `order.cancelled` / `order.refunded` / `order.returned`: gives the
//!   order's stock back to the catalog, whose release is idempotent by
//!   order id, and flash-sale units back to the flash-sale counter, once
//!   per order, when its units are back on sale (not for goods refunded
//!   after shipping until they are returned);
//! - `payment.refund_required`: asks the payment provider for the money;
//! - admitted flash-sale orders (`orders.flash_admitted.{namespace}`): stores
//!   them (`service::flash::placement`).

use anyhow::Context;
use contracts::events::{
    order::{ORDER_CANCELLED, ORDER_REFUNDED, ORDER_RETURNED, OrderEvent},
    payment_timeout::{self, PaymentTimeout},
    refund_required,
};
use platform::events::{Event, Subscription, handler, idempotency::first_delivery};
use serde::Deserialize;

use crate::{
    context::OrdersContext,
    service::{flash::placement, lifecycle::expire_in, payments::refunds, stock::release_stock},
};

/// The order an order event (`contracts::events::order`) is about.
fn order_id(event: &Event) -> anyhow::Result<String> {
    OrderEvent::deserialize(&event.payload)
        .context("an unreadable order event")?
        .order_id
        .context("an order event without orderId")
}

/// Subscribes the consumers. Queue names start with `namespace`, so
/// replicas of one deployment share them and separate deployments (or
/// tests) on one RabbitMQ do not.
pub async fn start(ctx: &OrdersContext, namespace: &str) -> anyhow::Result<Vec<Subscription>> {
    let timeout_queue = format!("{namespace}.payment-timeout");
    let consumer = timeout_queue.clone();
    let timeouts = ctx
        .broker
        .subscribe(
            &timeout_queue,
            &[payment_timeout::TOPIC],
            handler({
                let ctx = ctx.clone();
                move |event| {
                    let ctx = ctx.clone();
                    let consumer = consumer.clone();
                    async move { expire(&ctx, &consumer, event).await }
                }
            }),
        )
        .await?;
    let releases = ctx
        .broker
        .subscribe(
            &format!("{namespace}.stock-release"),
            &[ORDER_CANCELLED, ORDER_REFUNDED, ORDER_RETURNED],
            handler({
                let ctx = ctx.clone();
                move |event| {
                    let ctx = ctx.clone();
                    async move { release(&ctx, event).await }
                }
            }),
        )
        .await?;
    let refunds = ctx
        .broker
        .subscribe(
            &format!("{namespace}.refunds"),
            &[refund_required::TOPIC],
            handler({
                let ctx = ctx.clone();
                move |event| {
                    let ctx = ctx.clone();
                    async move { refunds::send_back(&ctx, event).await }
                }
            }),
        )
        .await?;
    let mut subscriptions = vec![timeouts, releases, refunds];
    subscriptions.extend(placements(ctx, namespace).await?);
    Ok(subscriptions)
}

/// Placement consumers per replica: each stores one order at a time, so
/// this many orders are stored at once while the catalog answers a
/// reservation.
const WORKERS: usize = 4;

/// Subscribes the flash-sale placement consumers to
/// `{namespace}.flash-placement` (`service::flash::placement`).
async fn placements(ctx: &OrdersContext, namespace: &str) -> anyhow::Result<Vec<Subscription>> {
    let queue = format!("{namespace}.flash-placement");
    let topic = super::admitted_topic(namespace);
    let mut subscriptions = Vec::with_capacity(WORKERS);
    for _ in 0..WORKERS {
        let ctx = ctx.clone();
        subscriptions.push(
            ctx.broker
                .subscribe(
                    &queue,
                    &[topic.as_str()],
                    handler({
                        let ctx = ctx.clone();
                        move |event| {
                            let ctx = ctx.clone();
                            async move { placement::store_admitted(&ctx, event).await }
                        }
                    }),
                )
                .await?,
        );
    }
    Ok(subscriptions)
}

async fn expire(ctx: &OrdersContext, consumer: &str, event: Event) -> anyhow::Result<()> {
    let PaymentTimeout { order_id } =
        PaymentTimeout::deserialize(&event.payload).context("an unreadable payment timeout")?;
    let mut tx = ctx.db.begin_write().await?;
    if !first_delivery(&mut tx, consumer, &event.id).await? {
        tracing::debug!(%order_id, "payment timeout delivered again; skipped");
        return Ok(());
    }
    expire_in(ctx, tx, &order_id).await
}

async fn release(ctx: &OrdersContext, event: Event) -> anyhow::Result<()> {
    release_stock(ctx, &order_id(&event)?).await
}
