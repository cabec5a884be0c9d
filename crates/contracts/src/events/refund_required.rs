//! `payment.refund_required`: money is owed back on a payment (an approved
//! refund, or a payment for an order that could not take it); the orders
//! service's refund consumer asks the payment provider to send it.

use serde::{Deserialize, Serialize};

pub const TOPIC: &str = "payment.refund_required";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequired {
    pub payment_id: String,
    pub order_id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_refund_names_the_payment_its_order_and_the_money() {
        assert_eq!(TOPIC, "payment.refund_required");
        assert_wire(
            &RefundRequired {
                payment_id: "pay-1".into(),
                order_id: "o-1".into(),
                amount: 69_900,
                currency: "CNY".into(),
            },
            r#"{"paymentId":"pay-1","orderId":"o-1","amount":69900,"currency":"CNY"}"#,
        );
    }
}
