//! What each event the orders service consumes does (`events::consumers`
//! subscribes these handlers to their queues):
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
use contracts::events::payment_timeout::PaymentTimeout;
use platform::events::{Event, handler, idempotency::first_delivery};
use serde::Deserialize;

use super::{
    context::OrdersContext, flash::placement, lifecycle::expire_in, payments::refunds,
    stock::release_stock,
};
use crate::events::consumers::{Handlers, order_id, payment_timeout_queue};

/// The handlers of the queues named after `namespace`, each on a clone of
/// `ctx`.
pub fn handlers(ctx: &OrdersContext, namespace: &str) -> Handlers {
    let consumer = payment_timeout_queue(namespace);
    Handlers {
        payment_timeout: handler({
            let ctx = ctx.clone();
            move |event| {
                let ctx = ctx.clone();
                let consumer = consumer.clone();
                async move { expire(&ctx, &consumer, event).await }
            }
        }),
        stock_release: handler({
            let ctx = ctx.clone();
            move |event| {
                let ctx = ctx.clone();
                async move { release(&ctx, event).await }
            }
        }),
        refunds: handler({
            let ctx = ctx.clone();
            move |event| {
                let ctx = ctx.clone();
                async move { refunds::send_back(&ctx, event).await }
            }
        }),
        flash_placement: handler({
            let ctx = ctx.clone();
            move |event| {
                let ctx = ctx.clone();
                async move { placement::store_admitted(&ctx, event).await }
            }
        }),
    }
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
