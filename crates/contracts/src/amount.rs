//! Money on the wire between services.

use serde::{Deserialize, Serialize};

/// Money in minor units (fen) of `currency`: `{"amount": 69900, "currency": "CNY"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub amount: i64,
    pub currency: String,
}

#[cfg(test)]
mod tests {
    use super::Amount;
    use crate::golden::assert_wire;

    #[test]
    fn an_amount_is_minor_units_and_a_currency() {
        assert_wire(
            &Amount {
                amount: 69_900,
                currency: "CNY".into(),
            },
            r#"{"amount":69900,"currency":"CNY"}"#,
        );
    }
}
