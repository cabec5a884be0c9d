//! The provider's report on a payment or a refund, once its signature is
//! checked (`schema::internal::webhook`): a repeated callback is
//! acknowledged and changes nothing; a payment for an order that is no longer payable is owed back
//! (through the provider) and does not revive the order.

use platform::db::now_millis;

use super::refunds::owe_back_in;
use crate::{
    domain::Transition,
    service::{
        context::OrdersContext,
        lifecycle::{after_commit, apply_in},
    },
    store::{
        clients::payments::sandbox::Callback,
        orders::{self, TransitionDetails},
        payments,
    },
};

/// Why a callback was not taken.
pub enum Refusal {
    Unknown,
    Mismatch,
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Refusal {
    fn from(error: E) -> Self {
        Self::Internal(error.into())
    }
}

/// Applies `callback` to its payment (and order); the outcome names what
/// it did: `paid`, `duplicate`, `refund_pending`, `refunded` or `failed`.
pub async fn settle(ctx: &OrdersContext, callback: &Callback) -> Result<&'static str, Refusal> {
    let now = now_millis();
    let mut tx = ctx.db.begin_write().await?;
    let payment = payments::find_in(&mut tx, &callback.payment_id)
        .await?
        .ok_or(Refusal::Unknown)?;
    if payment.order_id != callback.order_id
        || payment.amount != callback.amount
        || payment.currency != callback.currency
    {
        return Err(Refusal::Mismatch);
    }
    payments::count_callback(&mut tx, &payment.payment_id).await?;
    if callback.status == "REFUNDED" {
        return refunded(tx, &payment, now).await;
    }
    if callback.status != "SUCCEEDED" {
        payments::settle(
            &mut tx,
            &payment.payment_id,
            payments::PENDING,
            payments::FAILED,
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok("failed");
    }
    if !payments::settle(
        &mut tx,
        &payment.payment_id,
        payments::PENDING,
        payments::SUCCEEDED,
        now,
    )
    .await?
    {
        // Settled before: a repeated callback changes nothing.
        tx.commit().await?;
        return Ok("duplicate");
    }
    let order = orders::find_in(&mut tx, &payment.order_id)
        .await?
        .ok_or(Refusal::Unknown)?;
    match apply_in(
        &mut tx,
        &order,
        Transition::Pay,
        &TransitionDetails::default(),
    )
    .await
    {
        Ok(change) => {
            tx.commit().await?;
            after_commit(ctx, change).await;
            Ok("paid")
        }
        Err(crate::service::error::OrderError::IllegalTransition { .. }) => {
            // The money came for an order that was cancelled (or paid by
            // another payment): keep the order as it is and owe it back.
            owe_back_in(&mut tx, &payment, now).await?;
            tx.commit().await?;
            ctx.outbox_written();
            Ok("refund_pending")
        }
        Err(error) => Err(Refusal::Internal(anyhow::anyhow!(error))),
    }
}

/// The provider sent money owed back: the payment is refunded. Only a
/// payment the service asked a refund for can be; a repeat changes nothing.
async fn refunded(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    payment: &crate::store::PaymentRow,
    now: i64,
) -> Result<&'static str, Refusal> {
    let settled = payments::settle(
        &mut tx,
        &payment.payment_id,
        payments::REFUND_PENDING,
        payments::REFUNDED,
        now,
    )
    .await?;
    let outcome = match (settled, payment.status.as_str()) {
        (true, _) => "refunded",
        (false, payments::REFUNDED) => "duplicate",
        (false, _) => return Err(Refusal::Mismatch),
    };
    tx.commit().await?;
    Ok(outcome)
}
