//! `order.payment_timeout`: the delayed message the orders service sends
//! itself when it stores an order; it cancels the order if the order is
//! still unpaid when the message arrives.

use serde::{Deserialize, Serialize};

pub const TOPIC: &str = "order.payment_timeout";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentTimeout {
    pub order_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_payment_timeout_names_the_order() {
        assert_eq!(TOPIC, "order.payment_timeout");
        assert_wire(
            &PaymentTimeout {
                order_id: "o-1".into(),
            },
            r#"{"orderId":"o-1"}"#,
        );
    }
}
