//! Sales counts from the orders service's events: `order.paid` adds each
//! item's quantity to its product, `order.refunded` takes it away. Each
//! event counts once (its id is recorded in `processed_message` in the
//! same transaction), and the new counts go out as `product.changed` so the
//! search index's SALES sort follows.

use std::collections::BTreeMap;

use platform::events::{Event, idempotency::first_delivery};
use serde::Deserialize;

use super::{Catalog, changes};

/// The order events that change sales counts.
pub const SALES_TOPICS: [&str; 2] = ["order.paid", "order.refunded"];

/// This consumer's name in `processed_message`.
const CONSUMER: &str = "catalog.sales-count";

#[derive(Deserialize)]
struct OrderEvent {
    #[serde(default)]
    items: Vec<OrderItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderItem {
    product_id: String,
    quantity: i64,
}

impl Catalog {
    /// Applies one order event; false when it was a repeat or not about
    /// sales. A payload that cannot be read is logged and dropped (another
    /// delivery would not read better).
    pub async fn apply_order_event(&self, event: &Event) -> anyhow::Result<bool> {
        let sign = match event.topic.as_str() {
            "order.paid" => 1,
            "order.refunded" => -1,
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
        for item in order.items.into_iter().filter(|i| i.quantity > 0) {
            *per_product.entry(item.product_id).or_default() += item.quantity;
        }
        let mut tx = self.db.begin_write().await?;
        if !first_delivery(&mut tx, CONSUMER, &event.id).await? {
            return Ok(false);
        }
        for (product_id, quantity) in &per_product {
            sqlx::query(
                "UPDATE product SET sales_count = CASE WHEN sales_count + $1 < 0 THEN 0 \
                 ELSE sales_count + $1 END WHERE product_id = $2",
            )
            .bind(sign * quantity)
            .bind(product_id)
            .execute(&mut *tx)
            .await?;
        }
        let ids: Vec<String> = per_product.into_keys().collect();
        changes::products_changed(&mut tx, &ids).await?;
        tx.commit().await?;
        self.events.wake();
        self.cache
            .invalidate_products(ids.iter().map(String::as_str))
            .await;
        Ok(true)
    }
}
