//! Reconciliation of the flash-sale counters with the database: the units
//! a sale has left are its quantity minus what live orders (not cancelled
//! or refunded) and queued tickets hold, per buyer likewise. Drift comes
//! from a checkout or consumer that died between two steps, from a Redis
//! that lost its data, or from a hand that changed it.
//!
//! Queued tickets are settled first: one whose order is stored is placed
//! (its consumer died before it said so); one queued longer than the
//! queue timeout fails and gives its units back, and the consumer will not
//! store it after that. A ticket the consumer has claimed is being stored
//! and never expires: the claim and the expiry are each one atomic step
//! on the ticket, so exactly one of them acts on it.
//!
//! A sale whose counters are missing is left to the next checkout, which
//! rebuilds them ([`super::rebuild`]).

use std::{collections::HashSet, time::Duration};

use contracts::flash_sale::FlashSaleInfo;
use platform::db::now_millis;

use super::{holdings, placement};
use crate::{
    service::context::OrdersContext,
    store::flash::{Counters, TicketState},
};

/// One repaired sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    pub sale_id: String,
    pub remaining_before: i64,
    pub remaining_after: i64,
}

/// Settles stale tickets, then compares and repairs every sale with
/// counters, once. A sale whose counters change meanwhile is left for the
/// next round.
pub async fn reconcile_once(
    ctx: &OrdersContext,
    queue_timeout: Duration,
) -> anyhow::Result<Vec<Repair>> {
    let mut repairs = Vec::new();
    for sale_id in ctx.flash.sales().await? {
        let Some(sale) = ctx.catalog.flash_sale(&sale_id).await? else {
            continue;
        };
        let Some(counters) = ctx.flash.counters(&sale_id).await? else {
            continue;
        };
        let mut stored = holdings::stored_among(ctx, &counters.queued).await?;
        let counters =
            if settle_stale_tickets(ctx, &sale_id, &counters, &stored, queue_timeout).await? {
                // The settled tickets changed the counters: read them again.
                let Some(counters) = ctx.flash.counters(&sale_id).await? else {
                    continue;
                };
                stored = holdings::stored_among(ctx, &counters.queued).await?;
                counters
            } else {
                counters
            };
        repairs.extend(repair(ctx, &sale, counters, &stored).await?);
    }
    Ok(repairs)
}

/// True when it settled any ticket.
async fn settle_stale_tickets(
    ctx: &OrdersContext,
    sale_id: &str,
    counters: &Counters,
    stored: &HashSet<String>,
    queue_timeout: Duration,
) -> anyhow::Result<bool> {
    let expired_before = now_millis() - queue_timeout.as_millis() as i64;
    let mut settled = false;
    for (order_id, ticket) in &counters.queued {
        if stored.contains(order_id) {
            settled |= ctx
                .flash
                .settle(sale_id, order_id, &TicketState::Placed)
                .await?;
        } else if ticket.queued_at < expired_before {
            let expired = placement::expire(ctx, sale_id, order_id).await?;
            if expired {
                tracing::warn!(%sale_id, %order_id, user_id = %ticket.user_id,
                    units = ticket.quantity, "a queued flash-sale order expired unstored; \
                    its units went back to the sale");
            }
            settled |= expired;
        }
    }
    Ok(settled)
}

async fn repair(
    ctx: &OrdersContext,
    sale: &FlashSaleInfo,
    counters: Counters,
    stored: &HashSet<String>,
) -> anyhow::Result<Option<Repair>> {
    let sale_id = sale.id.as_str();
    let expected = holdings::expected(ctx, sale, &counters.queued, stored).await?;
    let mut current_held = counters.held.clone();
    current_held.retain(|_, units| *units > 0);
    if counters.remaining == expected.remaining && current_held == expected.held {
        return Ok(None);
    }
    if !ctx
        .flash
        .reset(sale_id, counters.version, &expected)
        .await?
    {
        // A buyer came in meanwhile: the next round looks again.
        return Ok(None);
    }
    tracing::warn!(
        %sale_id,
        remaining_before = counters.remaining,
        remaining_after = expected.remaining,
        held_before = ?counters.held,
        held_after = ?expected.held,
        "flash-sale counters drifted from the orders; repaired"
    );
    Ok(Some(Repair {
        sale_id: sale_id.to_owned(),
        remaining_before: counters.remaining,
        remaining_after: expected.remaining,
    }))
}
