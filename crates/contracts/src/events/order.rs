//! The orders service's order events: one topic per transition of the
//! order state machine, each with the order as it now is
//! ([`OrderEvent`]): enough for the catalog (sales counts per product,
//! purchases for reviews) and the orders service's own stock release
//! without calling back.

use serde::{Deserialize, Serialize};

use crate::Amount;

pub const ORDER_CREATED: &str = "order.created";
pub const ORDER_PAID: &str = "order.paid";
pub const ORDER_CANCELLED: &str = "order.cancelled";
pub const ORDER_SHIPPED: &str = "order.shipped";
pub const ORDER_DELIVERED: &str = "order.delivered";
pub const ORDER_COMPLETED: &str = "order.completed";
pub const ORDER_REFUND_REQUESTED: &str = "order.refund_requested";
pub const ORDER_REFUND_REJECTED: &str = "order.refund_rejected";
pub const ORDER_REFUNDED: &str = "order.refunded";
/// The goods of an order refunded after shipping came back.
pub const ORDER_RETURNED: &str = "order.returned";

/// The payload of every order event.
///
/// The orders service writes every field. Readers take an absent field as
/// empty (`None`, no items), as the catalog's consumer always has: it
/// counts an order without a buyer but records no purchase for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderEvent {
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub order_number: Option<String>,
    /// The buyer.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The status the order is now in (`PAID`, …).
    #[serde(default)]
    pub status: Option<String>,
    /// The status it was in before this transition (for `order.created`,
    /// the status it was stored in).
    #[serde(default)]
    pub previous_status: Option<String>,
    /// The flash sale it was bought in; `null` for a normal order.
    #[serde(default)]
    pub flash_sale_id: Option<String>,
    #[serde(default)]
    pub total: Option<Amount>,
    #[serde(default)]
    pub items: Vec<OrderEventItem>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderEventItem {
    #[serde(default)]
    pub sku_id: Option<String>,
    pub product_id: String,
    pub quantity: i64,
    /// The price paid per unit (the snapshot at purchase).
    #[serde(default)]
    pub unit_price: Option<Amount>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    fn paid() -> OrderEvent {
        OrderEvent {
            order_id: Some("o-1".into()),
            order_number: Some("SG202601010001".into()),
            user_id: Some("u-1".into()),
            status: Some("PAID".into()),
            previous_status: Some("PENDING_PAYMENT".into()),
            flash_sale_id: None,
            total: Some(Amount {
                amount: 139_800,
                currency: "CNY".into(),
            }),
            items: vec![OrderEventItem {
                sku_id: Some("s-1".into()),
                product_id: "p-1".into(),
                quantity: 2,
                unit_price: Some(Amount {
                    amount: 69_900,
                    currency: "CNY".into(),
                }),
            }],
        }
    }

    #[test]
    fn the_topics_are_the_routing_keys_consumers_bind() {
        assert_eq!(
            [
                ORDER_CREATED,
                ORDER_PAID,
                ORDER_CANCELLED,
                ORDER_SHIPPED,
                ORDER_DELIVERED,
                ORDER_COMPLETED,
                ORDER_REFUND_REQUESTED,
                ORDER_REFUND_REJECTED,
                ORDER_REFUNDED,
                ORDER_RETURNED,
            ],
            [
                "order.created",
                "order.paid",
                "order.cancelled",
                "order.shipped",
                "order.delivered",
                "order.completed",
                "order.refund_requested",
                "order.refund_rejected",
                "order.refunded",
                "order.returned",
            ]
        );
    }

    #[test]
    fn an_order_event_pins_its_wire_form() {
        assert_wire(
            &paid(),
            r#"{"orderId":"o-1","orderNumber":"SG202601010001","userId":"u-1",
                "status":"PAID","previousStatus":"PENDING_PAYMENT","flashSaleId":null,
                "total":{"amount":139800,"currency":"CNY"},
                "items":[{"skuId":"s-1","productId":"p-1","quantity":2,
                          "unitPrice":{"amount":69900,"currency":"CNY"}}]}"#,
        );
    }

    #[test]
    fn a_reader_takes_absent_fields_as_empty_but_needs_each_items_product_and_quantity() {
        let read: OrderEvent =
            serde_json::from_str(r#"{"orderId":"o-1","items":[{"productId":"p-1","quantity":1}]}"#)
                .expect("a sparse order event reads");
        assert_eq!(
            read,
            OrderEvent {
                order_id: Some("o-1".into()),
                items: vec![OrderEventItem {
                    product_id: "p-1".into(),
                    quantity: 1,
                    ..OrderEventItem::default()
                }],
                ..OrderEvent::default()
            }
        );
        assert!(serde_json::from_str::<OrderEvent>(r#"{"items":[{"productId":"p-1"}]}"#).is_err());
        assert!(serde_json::from_str::<OrderEvent>(r#"{"items":[{"quantity":1}]}"#).is_err());
    }
}
