//! `POST /internal/orders/lookup` on the orders service
//! [`OrderLookupRequest`] → 200 [`OrderLookupResponse`]; 400
//! `{"code":"BAD_REQUEST","message":…}` for more than [`MAX_LOOKUP_IDS`]
//! ids or a body that does not parse. The catalog's reservation sweeper
//! asks it which old reservations still belong to an order.

use serde::{Deserialize, Serialize};

pub const PATH: &str = "/internal/orders/lookup";

/// The most order ids one lookup may ask about.
pub const MAX_LOOKUP_IDS: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLookupRequest {
    pub order_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLookupResponse {
    /// The asked orders that exist, in no particular order; an asked id
    /// missing here has no order.
    pub orders: Vec<KnownOrder>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnownOrder {
    pub order_id: String,
    /// False once the order was cancelled or refunded: its stock is owed
    /// back to the catalog (and released by the orders service, or the
    /// sweeper).
    pub holds_stock: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_lookup_asks_about_ids_and_answers_the_known_orders() {
        assert_wire(
            &OrderLookupRequest {
                order_ids: vec!["o-1".into(), "o-2".into()],
            },
            r#"{"orderIds":["o-1","o-2"]}"#,
        );
        assert_wire(
            &OrderLookupResponse {
                orders: vec![KnownOrder {
                    order_id: "o-1".into(),
                    holds_stock: false,
                }],
            },
            r#"{"orders":[{"orderId":"o-1","holdsStock":false}]}"#,
        );
    }
}
