//! Storing admitted flash-sale orders, asynchronously. `placeOrder` queues
//! the checked order (its [`OrderDraft`]) on the broker once the counter
//! admitted it; the placement consumer (`events::consumers`) reserves its stock and stores it exactly like
//! a normal checkout, then settles the order's ticket: placed, or failed
//! with the reason (the units go back to the sale). Delivery is at least
//! once, and storing is idempotent by order id, so a repeat changes
//! nothing.
//!
//! Before storing, the consumer claims the order's ticket in the counter
//! store, one atomic step: reconciliation expires only queued tickets, so
//! of a placement and an expiry racing on one ticket exactly one acts
//! (the order is stored and keeps its units, or it is not stored and its
//! units go back). A ticket that cannot be claimed is not stored: expired
//! or settled, its buyer has heard already; lost with the counters (which
//! were then rebuilt without it), it fails now with `FLASH_ORDER_EXPIRED`,
//! as an expired one does, so `orderPlacement` and `orderStatusChanged`
//! tell its buyer, who may check out again.

use anyhow::Context;
use platform::{db::now_millis, events::Event};

use crate::{
    events::{self, StatusChange, StatusNews},
    service::{
        checkout::{OrderDraft, Placed, reserve_and_store},
        context::OrdersContext,
        error::{OrderError, OrderResult},
    },
    store::{
        flash::{Claim, Ticket, TicketState},
        orders,
    },
};

/// Queues `draft` to be stored; returns once the broker holds it.
pub async fn enqueue(ctx: &OrdersContext, draft: &OrderDraft) -> anyhow::Result<()> {
    let event = Event::new(
        events::admitted_topic(&ctx.settings.queue_namespace),
        serde_json::to_value(draft)?,
    );
    ctx.broker.publish(&event).await
}

/// The placement consumer's work (`events::consumers` subscribes it,
/// through `service::consumers`): store the admitted order the event
/// carries and settle its ticket.
pub async fn store_admitted(ctx: &OrdersContext, event: Event) -> anyhow::Result<()> {
    let draft: OrderDraft =
        serde_json::from_value(event.payload).context("an undecodable flash-sale order")?;
    let sale_id = draft
        .flash
        .as_ref()
        .map(|sale| sale.id.clone())
        .context("a queued flash-sale order without its sale")?;
    if orders::find(ctx.db.pool(), &draft.order_id)
        .await?
        .is_some()
    {
        // Stored already (a repeated delivery, or the request stored it).
        ctx.flash
            .settle(&sale_id, &draft.order_id, &TicketState::Placed)
            .await?;
        return Ok(());
    }
    match store_and_settle(ctx, &sale_id, &draft).await {
        // The catalog or the database is down: delivered again later.
        Err(OrderError::Internal(error)) => Err(error),
        Err(_) => {
            ctx.metrics.checkouts_refused.inc();
            Ok(())
        }
        Ok(_) => Ok(()),
    }
}

/// Claims the ticket of the admitted `draft` of sale `sale_id`, stores
/// the order and settles the ticket: placed, or failed when the order
/// cannot be stored (a business error: its units go back to the sale). An
/// internal error (catalog or database down) leaves the ticket claimed,
/// for the redelivered placement to claim and store again. A ticket that
/// cannot be claimed is refused with `FLASH_ORDER_EXPIRED`; a lost one is
/// failed with it first, and its subscribers hear so.
pub async fn store_and_settle(
    ctx: &OrdersContext,
    sale_id: &str,
    draft: &OrderDraft,
) -> OrderResult<Placed> {
    let if_lost = Ticket {
        sale_id: sale_id.to_owned(),
        user_id: draft.user_id.clone(),
        quantity: draft.flash.as_ref().map_or(0, |sale| sale.quantity),
        queued_at: now_millis(),
        state: TicketState::Failed {
            code: EXPIRED_CODE.to_owned(),
            message: EXPIRED.to_owned(),
        },
    };
    match ctx.flash.claim(sale_id, &draft.order_id, &if_lost).await? {
        Claim::Claimed => {}
        Claim::Settled => {
            tracing::info!(order_id = %draft.order_id,
                "a flash-sale order whose ticket was settled already; not stored");
            return Err(OrderError::business(EXPIRED_CODE, None, EXPIRED));
        }
        Claim::Lost => {
            tracing::warn!(order_id = %draft.order_id,
                "a flash-sale order whose ticket was lost with the counters; failed, not stored");
            announce_failure(ctx, &draft.order_id, EXPIRED_CODE, EXPIRED).await;
            return Err(OrderError::business(EXPIRED_CODE, None, EXPIRED));
        }
    }
    match reserve_and_store(ctx, draft).await {
        Ok(placed) => {
            if placed.created {
                ctx.metrics.orders_placed.inc();
                // Subscribers to the queued order hear it is stored.
                ctx.announce(StatusNews::Changed(StatusChange {
                    order_id: placed.order.order_id.clone(),
                    status: placed.order.status.clone(),
                    previous_status: None,
                    changed_at: placed.order.created_at,
                }))
                .await;
            }
            // Should this fail, reconciliation settles the ticket of a
            // stored order later.
            if let Err(error) = ctx
                .flash
                .settle(sale_id, &draft.order_id, &TicketState::Placed)
                .await
            {
                tracing::warn!(error.cause_chain = ?error, order_id = %draft.order_id,
                    "settling the ticket of a stored flash-sale order failed");
            }
            Ok(placed)
        }
        Err(OrderError::Internal(error)) => Err(OrderError::Internal(error)),
        Err(refused) => {
            let (code, message) = refused.code_and_message();
            tracing::warn!(order_id = %draft.order_id, %code, reason = %message,
                "an admitted flash-sale order could not be stored");
            fail(ctx, sale_id, &draft.order_id, code, &message).await?;
            Err(refused)
        }
    }
}

/// The code of an order reconciliation gave up on, or whose ticket was lost.
const EXPIRED_CODE: &str = "FLASH_ORDER_EXPIRED";
/// What a buyer hears of it.
const EXPIRED: &str =
    "the order could not be stored in time; its units went back to the sale, please try again";

/// Ends the queued or claimed ticket of `order_id` as failed (its units go
/// back to the sale) and tells subscribers waiting for the order; false
/// when the ticket was neither.
pub async fn fail(
    ctx: &OrdersContext,
    sale_id: &str,
    order_id: &str,
    code: &str,
    message: &str,
) -> anyhow::Result<bool> {
    end_failed(ctx, sale_id, order_id, code, message, false).await
}

/// Like [`fail`] with `FLASH_ORDER_EXPIRED`, for reconciliation giving up
/// on an order queued too long: only while its ticket is queued, never
/// once a placement claimed it (the order is being stored).
pub async fn expire(ctx: &OrdersContext, sale_id: &str, order_id: &str) -> anyhow::Result<bool> {
    end_failed(ctx, sale_id, order_id, EXPIRED_CODE, EXPIRED, true).await
}

async fn end_failed(
    ctx: &OrdersContext,
    sale_id: &str,
    order_id: &str,
    code: &str,
    message: &str,
    only_queued: bool,
) -> anyhow::Result<bool> {
    let failed = TicketState::Failed {
        code: code.to_owned(),
        message: message.to_owned(),
    };
    let ended = match only_queued {
        true => ctx.flash.expire(sale_id, order_id, &failed).await?,
        false => ctx.flash.settle(sale_id, order_id, &failed).await?,
    };
    if ended {
        announce_failure(ctx, order_id, code, message).await;
    }
    Ok(ended)
}

async fn announce_failure(ctx: &OrdersContext, order_id: &str, code: &str, message: &str) {
    ctx.announce(StatusNews::PlacementFailed {
        order_id: order_id.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
    })
    .await;
}
