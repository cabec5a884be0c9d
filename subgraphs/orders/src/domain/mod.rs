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

/// Why an input value was refused; becomes a payload `UserError`.
pub use platform::input::InvalidInput;
