//! Reconciliation of the flash-sale counters with the database: the units
//! a sale has left are its quantity minus what live orders (not cancelled
//! or refunded) hold, per buyer likewise. Drift comes from checkouts that
//! died between taking units and committing, from cancelled flash orders
//! whose units were not given back, or from a Redis that lost its data.

use std::time::Duration;

use platform::db::now_millis;

use super::Counters;
use crate::{context::OrdersContext, store::orders};

/// Sales with orders this recent are reconciled.
const LOOKBACK: Duration = Duration::from_secs(7 * 24 * 3600);

/// One repaired sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    pub sale_id: String,
    pub remaining_before: i64,
    pub remaining_after: i64,
}

/// Compares and repairs every recent flash sale once. Sales a buyer touched
/// within `quiet` are left for the next round, since a checkout in flight
/// has taken units that no order holds yet.
pub async fn reconcile_once(ctx: &OrdersContext, quiet: Duration) -> anyhow::Result<Vec<Repair>> {
    let now = now_millis();
    let since = now - LOOKBACK.as_millis() as i64;
    let mut repairs = Vec::new();
    for sale_id in orders::recent_flash_sales(ctx.db.pool(), since).await? {
        let Some(counters) = ctx.flash.counters(&sale_id).await? else {
            continue;
        };
        if now - counters.touched_at < quiet.as_millis() as i64 {
            continue;
        }
        let Some(sale) = ctx.catalog.flash_sale(&sale_id).await? else {
            continue;
        };
        let holdings = orders::flash_sale_holdings(ctx.db.pool(), &sale_id).await?;
        let sold: i64 = holdings.iter().map(|(_, units)| units).sum();
        let expected = Counters {
            remaining: (sale.quantity - sold).max(0),
            held: holdings
                .into_iter()
                .filter(|(_, units)| *units > 0)
                .collect(),
            touched_at: counters.touched_at,
        };
        let mut current = counters.clone();
        current.held.retain(|_, units| *units > 0);
        if current != expected {
            if !ctx
                .flash
                .reset(&sale_id, counters.touched_at, &expected)
                .await?
            {
                // A buyer came in meanwhile: the next round looks again.
                continue;
            }
            tracing::warn!(
                sale_id = %sale_id,
                remaining_before = counters.remaining,
                remaining_after = expected.remaining,
                held_before = ?counters.held,
                held_after = ?expected.held,
                "flash-sale counters drifted from the orders; repaired"
            );
            repairs.push(Repair {
                sale_id,
                remaining_before: counters.remaining,
                remaining_after: expected.remaining,
            });
        }
    }
    Ok(repairs)
}
