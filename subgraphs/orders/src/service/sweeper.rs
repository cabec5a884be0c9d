//! The safety net under the broker: the payment timeout and the stock
//! release normally happen when their messages arrive, but a message can be
//! lost for good (the in-process broker's delayed messages die with the
//! process; RabbitMQ dead-letters a release the catalog refused twenty
//! times). A periodic sweep finds unpaid orders past their timeout and
//! cancelled or refunded orders whose stock never went back, and finishes
//! the job with the same idempotent steps.

use std::time::Duration;

use platform::db::now_millis;

use super::{lifecycle::expire_in, stock::release_stock};
use crate::{service::context::OrdersContext, store::orders};

/// Orders handled per sweep; the next sweep takes the rest.
const BATCH: i64 = 200;

/// What one sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub expired: usize,
    pub released: usize,
}

/// Sweeps once; `grace` is how long past its due time an order waits for
/// its message before the sweep steps in.
pub async fn sweep_once(ctx: &OrdersContext, grace: Duration) -> anyhow::Result<Swept> {
    let now = now_millis();
    let grace = grace.as_millis() as i64;
    let mut swept = Swept::default();
    // Each order's own deadline, not today's ORDER_PAYMENT_TIMEOUT: a
    // restart with a shorter timeout must not cancel older orders early.
    for order_id in orders::overdue_unpaid(ctx.db.pool(), now - grace, BATCH).await? {
        let tx = ctx.db.begin_write().await?;
        expire_in(ctx, tx, &order_id).await?;
        swept.expired += 1;
    }
    for order_id in orders::unreleased(ctx.db.pool(), now - grace, BATCH).await? {
        match release_stock(ctx, &order_id).await {
            Ok(()) => swept.released += 1,
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, %order_id, "releasing stock failed; next sweep retries");
            }
        }
    }
    if swept != Swept::default() {
        tracing::info!(
            ?swept,
            "order sweep finished what lost messages left undone"
        );
    }
    Ok(swept)
}
