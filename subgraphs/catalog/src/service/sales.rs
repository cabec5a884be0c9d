//! Sales counts and purchases from the orders service's events:
//! `order.paid` adds each item's quantity to its product and records that
//! the buyer bought it (reviews are for buyers), `order.refunded` takes the
//! quantity away. That is, by definition, the number orders' live
//! `salesCount` shows: units of orders paid and not refunded (orders'
//! `OrderStatus::is_sold`, whose tests pin the two together); the demo seed
//! starts every count at 0, as it places no orders. Each event counts once
//! (its id is recorded in `processed_message` in the same transaction), and
//! the new counts go out as `product.changed` so the search index's SALES
//! sort follows.

use std::collections::BTreeMap;

use contracts::events::order::{ORDER_PAID, ORDER_REFUNDED, OrderEvent};
use platform::events::{Event, idempotency::first_delivery};

use super::Catalog;
use crate::{
    events::SALES_CONSUMER,
    store::{self, Tx},
};

impl Catalog {
    /// Applies one order event; false when it was a repeat or not about
    /// sales. A payload that cannot be read is logged and dropped (another
    /// delivery would not read better).
    pub async fn apply_order_event(&self, event: &Event) -> anyhow::Result<bool> {
        let sign = match event.topic.as_str() {
            ORDER_PAID => 1,
            ORDER_REFUNDED => -1,
            _ => return Ok(false),
        };
        let order: OrderEvent = match serde_json::from_value(event.payload.clone()) {
            Ok(order) => order,
            Err(error) => {
                tracing::warn!(event = %event.id, %error, "unreadable order event dropped");
                return Ok(false);
            }
        };
        // One update per product, in id order (no deadlocks between replicas).
        let mut per_product: BTreeMap<String, i64> = BTreeMap::new();
        for item in order.items.iter().filter(|i| i.quantity > 0) {
            *per_product.entry(item.product_id.clone()).or_default() += item.quantity;
        }
        let mut tx = self.store.begin_write().await?;
        if !first_delivery(&mut tx, SALES_CONSUMER, &event.id).await? {
            return Ok(false);
        }
        for (product_id, quantity) in &per_product {
            store::add_sales(&mut tx, product_id, sign * quantity).await?;
        }
        // A refund keeps the purchase: the buyer had the product, and a
        // review of why it went back is as useful as any.
        if sign > 0 {
            record_purchases(&mut tx, &order, per_product.keys(), event).await?;
        }
        let ids: Vec<String> = per_product.into_keys().collect();
        self.commit_product_changes(tx, &ids).await?;
        Ok(true)
    }
}

/// Records that the buyer of `order` bought each of `product_ids`.
async fn record_purchases(
    tx: &mut Tx,
    order: &OrderEvent,
    product_ids: impl Iterator<Item = &String>,
    event: &Event,
) -> sqlx::Result<()> {
    let Some(user_id) = &order.user_id else {
        tracing::warn!(event = %event.id, "order.paid without a buyer: no purchase recorded");
        return Ok(());
    };
    let order_id = order.order_id.as_deref().unwrap_or(&event.id);
    for product_id in product_ids {
        store::record_purchase(tx, user_id, product_id, order_id, event.occurred_at).await?;
    }
    Ok(())
}
