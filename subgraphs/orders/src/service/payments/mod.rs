//! Payments: `payOrder` opens a payment with the payment provider (the
//! built-in sandbox), which later reports the outcome by calling
//! `POST /payments/callback`, signed over a timestamp and the body. A
//! refund goes through the same provider and comes back the same way.

pub mod callback;
pub mod refunds;

use platform::db::{is_unique_violation, now_millis};

use crate::{
    domain::IdempotencyKey,
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
        lifecycle::payable,
    },
    store::{PaymentRow, orders, payments},
};

/// Starts paying `order_id` for its buyer `user_id`; a repeat with the same
/// idempotency key returns the first payment.
pub async fn pay_order(
    ctx: &OrdersContext,
    user_id: &str,
    order_id: &str,
    method: &str,
    key: &IdempotencyKey,
) -> OrderResult<PaymentRow> {
    if let Some(payment) = payments::find_by_key(ctx.db.pool(), user_id, key.as_ref()).await? {
        if payment.order_id != order_id {
            return Err(OrderError::business(
                "IDEMPOTENCY_KEY_REUSED",
                Some("idempotencyKey"),
                "this idempotency key was used for another order's payment",
            ));
        }
        return Ok(payment);
    }
    let order = orders::find(ctx.db.pool(), order_id)
        .await?
        .filter(|o| o.user_id == user_id)
        .ok_or(OrderError::NotFound)?;
    if !payable(order.status()) {
        return Err(OrderError::business(
            "ORDER_NOT_PAYABLE",
            Some("orderId"),
            format!("the order is {} and cannot be paid", order.status()),
        ));
    }
    let now = now_millis();
    let payment = PaymentRow {
        payment_id: uuid::Uuid::new_v4().to_string(),
        order_id: order.order_id.clone(),
        user_id: user_id.to_owned(),
        idempotency_key: key.as_ref().to_owned(),
        method: method.to_owned(),
        amount: order.total_amount,
        currency: order.currency.clone(),
        status: payments::PENDING.to_owned(),
        callbacks: 0,
        created_at: now,
        updated_at: now,
    };
    if let Err(error) = payments::insert(ctx.db.pool(), &payment).await {
        if is_unique_violation(&error, "payment_idempotency_key")
            && let Some(first) = payments::find_by_key(ctx.db.pool(), user_id, key.as_ref()).await?
        {
            return Ok(first);
        }
        return Err(error.into());
    }
    // The payment stands even if the provider is not told now: the buyer
    // can pay again with another key, and the order times out otherwise.
    if let Err(error) = ctx.payments.payment_opened(&payment).await {
        tracing::warn!(error.cause_chain = ?error, payment_id = %payment.payment_id,
            "the payment provider was not told about a payment");
    }
    Ok(payment)
}
