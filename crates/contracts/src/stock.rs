//! The catalog's internal stock API, which the orders service calls at
//! checkout and when an order gives its stock back.
//!
//! - `POST` [`RESERVE_PATH`] [`ReserveRequest`] → 200 [`ReserveResponse`];
//!   409 [`ApiError`](crate::error::ApiError) `OUT_OF_STOCK`, 404
//!   `UNKNOWN_SKU`, 400 `BAD_REQUEST`. Atomic over all lines and idempotent
//!   by `order_id`.
//! - `POST` [`RELEASE_PATH`] [`ReleaseRequest`] → 200 [`ReleaseResponse`];
//!   `released` is true exactly once per reserved order.

use serde::{Deserialize, Serialize};

use crate::Amount;

pub const RESERVE_PATH: &str = "/internal/stock/reserve";
pub const RELEASE_PATH: &str = "/internal/stock/release";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveLine {
    pub sku_id: String,
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveRequest {
    pub order_id: String,
    pub lines: Vec<ReserveLine>,
}

/// A reserved line with the price and names at reservation time: the
/// snapshot an order keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservedLine {
    pub sku_id: String,
    pub product_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub unit_price: Amount,
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveResponse {
    pub lines: Vec<ReservedLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequest {
    pub order_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseResponse {
    /// True when this call gave the stock back; false when the order had no
    /// reservation or it was released before.
    pub released: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_reservation_request_names_the_order_and_its_lines() {
        assert_wire(
            &ReserveRequest {
                order_id: "o-1".into(),
                lines: vec![ReserveLine {
                    sku_id: "s-1".into(),
                    quantity: 2,
                }],
            },
            r#"{"orderId":"o-1","lines":[{"skuId":"s-1","quantity":2}]}"#,
        );
    }

    #[test]
    fn a_reservation_answers_each_line_with_its_snapshot() {
        assert_wire(
            &ReserveResponse {
                lines: vec![ReservedLine {
                    sku_id: "s-1".into(),
                    product_id: "p-1".into(),
                    product_name: "Running shoes".into(),
                    sku_name: "42".into(),
                    unit_price: Amount {
                        amount: 69_900,
                        currency: "CNY".into(),
                    },
                    quantity: 2,
                }],
            },
            r#"{"lines":[{"skuId":"s-1","productId":"p-1","productName":"Running shoes",
                "skuName":"42","unitPrice":{"amount":69900,"currency":"CNY"},"quantity":2}]}"#,
        );
    }

    #[test]
    fn a_release_names_the_order_and_answers_whether_it_released() {
        assert_wire(
            &ReleaseRequest {
                order_id: "o-1".into(),
            },
            r#"{"orderId":"o-1"}"#,
        );
        assert_wire(&ReleaseResponse { released: true }, r#"{"released":true}"#);
    }
}
