//! The orders service's events: what it writes to its outbox, what it
//! publishes on the subscription fan-out, and what it consumes.

pub mod consumers;
pub mod sweeper;

use std::time::Duration;

use platform::events::{Event, outbox};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use crate::{
    domain::OrderStatus,
    store::{ItemRow, OrderRow},
};

pub const ORDER_CREATED: &str = "order.created";
/// The delayed message that cancels an order still unpaid when it arrives.
pub const ORDER_PAYMENT_TIMEOUT: &str = "order.payment_timeout";
pub const ORDER_CANCELLED: &str = "order.cancelled";
pub const ORDER_REFUNDED: &str = "order.refunded";
/// The goods of an order refunded after shipping came back.
pub const ORDER_RETURNED: &str = "order.returned";
/// Money is owed back on a payment (an approved refund, or a payment for an
/// order that could not take it): the provider is to send it.
pub const PAYMENT_REFUND_REQUIRED: &str = "payment.refund_required";

/// The payload every order event carries: enough for the catalog (sales
/// counts per product) and search without calling back.
pub fn order_payload(
    order: &OrderRow,
    status: OrderStatus,
    items: &[ItemRow],
) -> serde_json::Value {
    json!({
        "orderId": order.order_id,
        "orderNumber": order.order_number,
        "userId": order.user_id,
        "status": status.as_str(),
        "previousStatus": order.status,
        "flashSaleId": order.flash_sale_id,
        "total": { "amount": order.total_amount, "currency": order.currency },
        "items": items.iter().map(|i| json!({
            "skuId": i.sku_id,
            "productId": i.product_id,
            "quantity": i.quantity,
            "unitPrice": { "amount": i.unit_price, "currency": i.currency },
        })).collect::<Vec<_>>(),
    })
}

/// Writes `topic` about `order` (now in `status`) to the outbox.
pub async fn record(
    conn: &mut AnyConnection,
    topic: &str,
    order: &OrderRow,
    status: OrderStatus,
    items: &[ItemRow],
) -> sqlx::Result<Event> {
    let event = Event::new(topic, order_payload(order, status, items));
    outbox::enqueue(conn, &event).await?;
    Ok(event)
}

/// Schedules the payment timeout of a new order, in its transaction.
pub async fn schedule_timeout(
    conn: &mut AnyConnection,
    order_id: &str,
    timeout: Duration,
) -> sqlx::Result<()> {
    let event = Event::new(ORDER_PAYMENT_TIMEOUT, json!({ "orderId": order_id }));
    outbox::enqueue_delayed(conn, &event, timeout).await
}

/// What `orderStatusChanged` subscribers receive, through the fan-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StatusNews {
    Changed(StatusChange),
    /// A queued flash-sale order that could not be stored.
    #[serde(rename_all = "camelCase")]
    PlacementFailed {
        order_id: String,
        code: String,
        message: String,
    },
}

impl StatusNews {
    pub fn order_id(&self) -> &str {
        match self {
            Self::Changed(change) => &change.order_id,
            Self::PlacementFailed { order_id, .. } => order_id,
        }
    }
}

/// A transition of a stored order, or (no previous status) a queued
/// flash-sale order just stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub order_id: String,
    pub status: String,
    pub previous_status: Option<String>,
    pub changed_at: i64,
}

/// The fan-out channel of one order's status changes.
pub fn status_channel(order_id: &str) -> String {
    format!("orders:status:{order_id}")
}
