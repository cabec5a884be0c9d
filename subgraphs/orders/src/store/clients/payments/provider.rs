//! The payment provider interface: what the service asks of whoever moves
//! the money. Every outcome comes back later as a signed callback to
//! `/payments/callback` (see `service::payments::callback`), never as a return value,
//! so a real provider's asynchronous confirmations fit the same shape.

use async_trait::async_trait;

use crate::store::PaymentRow;

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// `payment` was opened; the provider confirms (or fails) it with a
    /// callback of status `SUCCEEDED` (or `FAILED`) once the buyer paid.
    async fn payment_opened(&self, payment: &PaymentRow) -> anyhow::Result<()>;

    /// Sends `payment`'s money back to the buyer; the provider calls back
    /// with status `REFUNDED` when it has. Asked again for the same payment
    /// (a redelivered request), it must not pay out twice.
    async fn refund(&self, payment: &PaymentRow) -> anyhow::Result<()>;
}
