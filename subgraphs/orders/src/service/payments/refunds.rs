//! Money owed back goes back through the payment provider: owing is
//! recorded (payment `REFUND_PENDING`, a `payment.refund_required` outbox
//! row) in the transaction that decides it, a consumer asks the provider,
//! and the provider's signed `REFUNDED` callback settles the payment.

use anyhow::Context;
use contracts::events::refund_required::{self, RefundRequired};
use platform::events::{Event, outbox};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::{
    events::payload,
    service::context::OrdersContext,
    store::{PaymentRow, payments},
};

/// Records that `payment`'s money (taken: `SUCCEEDED`) is owed back, in
/// the caller's transaction; false when it was not in that state.
pub async fn owe_back_in(
    conn: &mut AnyConnection,
    payment: &PaymentRow,
    now: i64,
) -> anyhow::Result<bool> {
    let owed = payments::settle(
        conn,
        &payment.payment_id,
        payments::SUCCEEDED,
        payments::REFUND_PENDING,
        now,
    )
    .await?;
    if owed {
        let refund = RefundRequired {
            payment_id: payment.payment_id.clone(),
            order_id: payment.order_id.clone(),
            amount: payment.amount,
            currency: payment.currency.clone(),
        };
        let event = Event::new(refund_required::TOPIC, payload(&refund)?);
        outbox::enqueue(conn, &event).await?;
    }
    Ok(owed)
}

/// Every payment that paid order `order_id` is owed back (an approved
/// refund), in the caller's transaction.
pub async fn owe_order_back_in(
    conn: &mut AnyConnection,
    order_id: &str,
    now: i64,
) -> anyhow::Result<()> {
    for payment in payments::succeeded_in(conn, order_id).await? {
        owe_back_in(conn, &payment, now).await?;
    }
    Ok(())
}

/// Consumes `payment.refund_required`: asks the provider to send the money
/// back, unless the payment is no longer owed (refunded already). A
/// failure is redelivered; the provider refunds a payment once however
/// often it is asked.
pub async fn send_back(ctx: &OrdersContext, event: Event) -> anyhow::Result<()> {
    let refund =
        RefundRequired::deserialize(&event.payload).context("an unreadable refund request")?;
    let mut conn = ctx.db.pool().acquire().await?;
    let Some(payment) = payments::find_in(&mut conn, &refund.payment_id).await? else {
        // Another deployment's, on a shared broker.
        return Ok(());
    };
    drop(conn);
    if payment.status != payments::REFUND_PENDING {
        return Ok(());
    }
    ctx.payments
        .refund(&payment)
        .await
        .context("asking the payment provider for a refund")
}
