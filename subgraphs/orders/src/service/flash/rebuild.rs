//! Counters for a sale that has none: never bought from yet, or the store
//! lost them (Redis flushed or restarted without its data; the embedded
//! process restarted). They are counted from the database before anyone
//! is admitted ([`super::holdings`]), never restarted at the sale's full
//! quantity, which would sell again what stored orders hold.
//!
//! Tickets lost with the counters are not counted: their placements may
//! still arrive from the broker, but the placement consumer claims a
//! ticket before storing its order and a lost ticket cannot be claimed,
//! so those orders are not stored and the rebuilt counters stay true.
//! Their buyers were told "queued" and hear nothing more; they may check
//! out again.

use contracts::flash_sale::FlashSaleInfo;

use super::holdings;
use crate::{
    service::context::OrdersContext,
    store::flash::{Admission, Take},
};

/// Rebuilds to try before giving up: counters that vanish again at once
/// mean the store is losing data as it is written.
const ATTEMPTS: usize = 3;

/// Takes units of `sale` for `admission`, rebuilding the sale's counters
/// first when it has none.
pub async fn take(
    ctx: &OrdersContext,
    sale: &FlashSaleInfo,
    admission: &Admission<'_>,
) -> anyhow::Result<Take> {
    for _ in 0..ATTEMPTS {
        match ctx.flash.take(admission).await? {
            Take::NoCounters => {
                rebuild(ctx, sale).await?;
            }
            taken => return Ok(taken),
        }
    }
    anyhow::bail!(
        "the counters of flash sale {} went missing again right after a rebuild",
        sale.id
    )
}

/// Writes the counters the database gives for `sale` unless it has
/// counters (another replica rebuilt them first); true when it wrote.
pub async fn rebuild(ctx: &OrdersContext, sale: &FlashSaleInfo) -> anyhow::Result<bool> {
    // Tickets first, then the orders: a ticket stored in between counts
    // twice (a unit short until reconciliation), never not at all (an
    // oversell). No ticket is added meanwhile: nobody is admitted to a
    // sale without counters.
    let unsettled = ctx.flash.unsettled(&sale.id).await?;
    let stored = holdings::stored_among(ctx, &unsettled).await?;
    let counters = holdings::expected(ctx, sale, &unsettled, &stored).await?;
    let wrote = ctx.flash.restore(&sale.id, &counters).await?;
    if wrote {
        tracing::info!(sale_id = %sale.id, remaining = counters.remaining,
            unsettled = unsettled.len(), "flash-sale counters counted from the orders");
    }
    Ok(wrote)
}
