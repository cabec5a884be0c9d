//! The orders service's events: what it writes to its outbox, what it
//! publishes on the subscription fan-out, and what it consumes.

pub mod consumers;

use std::time::Duration;

use contracts::{
    Amount,
    events::{
        order::{OrderEvent, OrderEventItem},
        payment_timeout::{self, PaymentTimeout},
    },
};
use platform::events::{Event, outbox};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::{
    domain::OrderStatus,
    store::{ItemRow, OrderRow},
};

/// The topic of admitted flash-sale orders waiting to be stored. It names
/// the deployment (its queue namespace): on a broker that several
/// deployments share, only this one's consumers, which know its catalog
/// and its counters, may store them.
pub fn admitted_topic(namespace: &str) -> String {
    format!("orders.flash_admitted.{namespace}")
}

/// The payload every order event carries (`contracts::events::order`):
/// enough for the catalog (sales counts per product) and search without
/// calling back.
pub fn order_payload(order: &OrderRow, status: OrderStatus, items: &[ItemRow]) -> OrderEvent {
    OrderEvent {
        order_id: Some(order.order_id.clone()),
        order_number: Some(order.order_number.clone()),
        user_id: Some(order.user_id.clone()),
        status: Some(status.as_str().to_owned()),
        previous_status: Some(order.status.clone()),
        flash_sale_id: order.flash_sale_id.clone(),
        total: Some(Amount {
            amount: order.total_amount,
            currency: order.currency.clone(),
        }),
        items: items
            .iter()
            .map(|i| OrderEventItem {
                sku_id: Some(i.sku_id.clone()),
                product_id: i.product_id.clone(),
                quantity: i.quantity,
                unit_price: Some(Amount {
                    amount: i.unit_price,
                    currency: i.currency.clone(),
                }),
            })
            .collect(),
    }
}

/// Writes `topic` about `order` (now in `status`) to the outbox.
pub async fn record(
    conn: &mut AnyConnection,
    topic: &str,
    order: &OrderRow,
    status: OrderStatus,
    items: &[ItemRow],
) -> sqlx::Result<Event> {
    let event = Event::new(topic, payload(&order_payload(order, status, items))?);
    outbox::enqueue(conn, &event).await?;
    Ok(event)
}

/// Schedules the payment timeout of a new order, in its transaction.
pub async fn schedule_timeout(
    conn: &mut AnyConnection,
    order_id: &str,
    timeout: Duration,
) -> sqlx::Result<()> {
    let timeout_event = PaymentTimeout {
        order_id: order_id.to_owned(),
    };
    let event = Event::new(payment_timeout::TOPIC, payload(&timeout_event)?);
    outbox::enqueue_delayed(conn, &event, timeout).await
}

/// A contract payload as an event's JSON.
pub fn payload(value: &impl Serialize) -> sqlx::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
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

#[cfg(test)]
mod tests {
    use contracts::events::order::OrderEvent;
    use serde_json::json;

    use super::{order_payload, payload};
    use crate::{
        domain::OrderStatus,
        store::{ItemRow, OrderRow},
    };

    fn order() -> OrderRow {
        OrderRow {
            order_id: "o-1".into(),
            order_number: "SG202601010001".into(),
            user_id: "u-1".into(),
            status: "PENDING_PAYMENT".into(),
            flash_sale_id: None,
            total_amount: 139_800,
            currency: "CNY".into(),
            recipient: "Li Lei".into(),
            phone: "+86 21 1234 5678".into(),
            line1: "1 Nanjing Road".into(),
            line2: None,
            city: "Shanghai".into(),
            postal_code: "200000".into(),
            country: "CN".into(),
            tracking_number: None,
            cancel_reason: None,
            refund_reason: None,
            refund_from_status: None,
            stock_released_at: None,
            paid_at: None,
            payment_deadline: 0,
            created_at: 1,
            updated_at: 2,
        }
    }

    fn item() -> ItemRow {
        ItemRow {
            order_id: "o-1".into(),
            position: 0,
            sku_id: "s-1".into(),
            product_id: "p-1".into(),
            product_name: "Running shoes".into(),
            sku_name: "42".into(),
            unit_price: 69_900,
            currency: "CNY".into(),
            quantity: 2,
        }
    }

    /// The JSON of an order event as this service has always written it
    /// (and the catalog's sales consumer reads it).
    #[test]
    fn an_order_event_carries_the_order_its_new_status_and_its_items() {
        let written = payload(&order_payload(&order(), OrderStatus::Paid, &[item()])).unwrap();
        assert_eq!(
            written,
            json!({
                "orderId": "o-1", "orderNumber": "SG202601010001", "userId": "u-1",
                "status": "PAID", "previousStatus": "PENDING_PAYMENT", "flashSaleId": null,
                "total": { "amount": 139_800, "currency": "CNY" },
                "items": [{ "skuId": "s-1", "productId": "p-1", "quantity": 2,
                            "unitPrice": { "amount": 69_900, "currency": "CNY" } }],
            })
        );
        let read: OrderEvent = serde_json::from_value(written).unwrap();
        assert_eq!(read.user_id.as_deref(), Some("u-1"));
        assert_eq!(read.items[0].product_id, "p-1");
        assert_eq!(read.items[0].quantity, 2);
    }

    #[test]
    fn a_flash_sale_order_event_names_its_sale() {
        let mut order = order();
        order.flash_sale_id = Some("f-1".into());
        let written = payload(&order_payload(&order, OrderStatus::Cancelled, &[])).unwrap();
        assert_eq!(written["flashSaleId"], "f-1");
        assert_eq!(written["items"], json!([]));
    }
}
