//! What the orders service consumes from the broker:
//! - `order.payment_timeout` (its own delayed message): cancels the order
//!   if it is still unpaid; a duplicate delivery finds it cancelled (or is
//!   skipped as already processed) and changes nothing;
//! - `order.cancelled` / `order.refunded` / `order.returned`: gives the
//!   order's stock back to the catalog, whose release is idempotent by
//!   order id, and flash-sale units back to the flash-sale counter, once
//!   per order, when its units are back on sale (not for goods refunded
//!   after shipping until they are returned);
//! - `payment.refund_required`: asks the payment provider for the money.

use anyhow::Context;
use contracts::events::{
    order::{ORDER_CANCELLED, ORDER_REFUNDED, ORDER_RETURNED, OrderEvent},
    payment_timeout::{self, PaymentTimeout},
    refund_required,
};
use platform::{
    db::now_millis,
    events::{Event, Subscription, handler, idempotency::first_delivery},
};
use serde::Deserialize;

use crate::{
    context::OrdersContext,
    domain::{OrderStatus, Transition},
    service::{
        lifecycle::{after_commit, apply_in},
        payments::refunds,
    },
    store::orders::{self, TransitionDetails},
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
    Ok(vec![timeouts, releases, refunds])
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

/// Cancels order `order_id` inside `tx` (which it commits) if it is still
/// unpaid; an order paid or cancelled meanwhile, or unknown here (another
/// deployment's, on a shared broker), is left alone.
pub async fn expire_in(
    ctx: &OrdersContext,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    order_id: &str,
) -> anyhow::Result<()> {
    let Some(order) = orders::find_in(&mut tx, order_id).await? else {
        tx.commit().await?;
        return Ok(());
    };
    // Not due yet by the deadline stored at placement (a message delivered
    // early, a replica's clock behind): the sweep cancels it once due.
    if order.status() != OrderStatus::PendingPayment || order.payment_deadline > now_millis() {
        tx.commit().await?;
        return Ok(());
    }
    let details = TransitionDetails {
        reason: Some("PAYMENT_TIMEOUT".into()),
        ..TransitionDetails::default()
    };
    match apply_in(&mut tx, &order, Transition::Expire, &details).await {
        Ok(change) => {
            tx.commit().await?;
            tracing::info!(%order_id, "unpaid order cancelled after the payment timeout");
            after_commit(ctx, change).await;
        }
        // Paid or cancelled in the meantime: nothing to do.
        Err(crate::error::OrderError::IllegalTransition { .. }) => tx.commit().await?,
        Err(error) => return Err(anyhow::anyhow!(error)),
    }
    Ok(())
}

async fn release(ctx: &OrdersContext, event: Event) -> anyhow::Result<()> {
    release_stock(ctx, &order_id(&event)?).await
}

/// Gives a cancelled or refunded order's stock back to the catalog (and its
/// flash-sale units to the sale), once.
pub async fn release_stock(ctx: &OrdersContext, order_id: &str) -> anyhow::Result<()> {
    let order_id = order_id.to_owned();
    let Some(order) = orders::find(ctx.db.pool(), &order_id).await? else {
        return Ok(());
    };
    // An unknown status gives nothing back.
    if order.stock_released_at.is_some() || order.units_back_on_sale() != Some(true) {
        return Ok(());
    }
    // Idempotent by order id in the catalog: a retry after a crash between
    // this call and the mark below releases nothing twice.
    ctx.catalog.release(&order_id).await?;
    if orders::mark_stock_released(ctx.db.pool(), &order_id, now_millis()).await?
        && let Some(sale_id) = &order.flash_sale_id
    {
        let units: i64 = orders::items_of(ctx.db.pool(), std::slice::from_ref(&order_id))
            .await?
            .iter()
            .map(|i| i.quantity)
            .sum();
        if let Err(error) = ctx.flash.give_back(sale_id, &order.user_id, units).await {
            tracing::warn!(error.cause_chain = ?error, %order_id,
                "giving flash-sale units back failed; reconciliation will repair it");
        }
    }
    Ok(())
}
