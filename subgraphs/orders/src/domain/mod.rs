//! The orders domain: values parsed once from input, and the order state
//! machine. No sqlx, no async-graphql here.

mod address;
mod idempotency_key;
mod order_number;
mod quantity;
mod status;

pub use address::ShippingAddress;
pub use idempotency_key::IdempotencyKey;
pub use order_number::new_order_number;
pub use quantity::{MAX_LINES, MAX_QUANTITY, Quantity};
pub use status::{OrderStatus, Transition, back_on_sale, was_shipped};

/// Input that does not make sense, named by the field at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
}

impl InvalidInput {
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
