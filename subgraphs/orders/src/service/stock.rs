//! Stock going back: a cancelled or refunded order's reservation to the
//! catalog and its flash-sale units to the sale's counter, once per order,
//! when its units are back on sale. Asked by the release consumer and by the
//! sweep. And which orders still hold stock, for the catalog's reservation
//! sweeper.

use contracts::order_lookup::KnownOrder;
use platform::db::now_millis;

use crate::{service::context::OrdersContext, store::orders};

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

/// Which of `order_ids` name an order here, and whether each still holds
/// its stock.
pub async fn known_orders(
    ctx: &OrdersContext,
    order_ids: &[String],
) -> sqlx::Result<Vec<KnownOrder>> {
    Ok(orders::find_many(ctx.db.pool(), order_ids)
        .await?
        .into_iter()
        .map(|row| KnownOrder {
            // A status this code does not know is taken as holding
            // stock: the catalog must not release on doubt.
            holds_stock: row.units_back_on_sale() != Some(true),
            order_id: row.order_id,
        })
        .collect())
}
