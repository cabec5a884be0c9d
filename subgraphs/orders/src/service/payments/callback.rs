//! `POST /payments/callback`: the provider's report on a payment or a
//! refund. A bad or stale signature is refused; a repeated callback is
//! acknowledged and changes nothing; a payment for an order that is no
//! longer payable is owed back (through the provider) and does not revive
//! the order.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use platform::db::now_millis;
use serde_json::json;

use super::refunds::owe_back_in;
use crate::{
    clients::payments::{
        sandbox::Callback,
        signature::{SIGNATURE_HEADER, SignatureError, verify},
    },
    context::OrdersContext,
    domain::Transition,
    service::lifecycle::{after_commit, apply_in},
    store::{orders, orders::TransitionDetails, payments},
};

fn reply(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

pub async fn handle(State(ctx): State<OrdersContext>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let checked = verify(
        &ctx.settings.payment_webhook_secret,
        &body,
        signature,
        now_millis().div_euclid(1000),
        ctx.settings.payment_callback_tolerance,
    );
    match checked {
        Ok(()) => {}
        Err(stale @ SignatureError::OutsideTolerance { .. }) => {
            ctx.metrics.callbacks_stale.inc();
            tracing::warn!(%stale, "payment callback outside the tolerance window refused");
            return reply(
                StatusCode::UNAUTHORIZED,
                json!({ "error": format!("stale callback: {stale}") }),
            );
        }
        Err(forged) => {
            ctx.metrics.callbacks_forged.inc();
            tracing::warn!(%forged, "payment callback with a bad signature refused");
            return reply(
                StatusCode::UNAUTHORIZED,
                json!({ "error": "invalid signature" }),
            );
        }
    }
    let Ok(callback) = serde_json::from_slice::<Callback>(&body) else {
        return reply(
            StatusCode::BAD_REQUEST,
            json!({ "error": "malformed callback" }),
        );
    };
    match settle(&ctx, &callback).await {
        Ok(outcome) => {
            let m = &ctx.metrics;
            match outcome {
                "paid" => &m.callbacks_paid,
                "duplicate" => &m.callbacks_repeated,
                "refund_pending" => &m.callbacks_refund_pending,
                "refunded" => &m.callbacks_refunded,
                _ => &m.callbacks_failed,
            }
            .inc();
            reply(
                StatusCode::OK,
                json!({ "acknowledged": true, "outcome": outcome }),
            )
        }
        Err(Refusal::Unknown) => {
            reply(StatusCode::NOT_FOUND, json!({ "error": "unknown payment" }))
        }
        Err(Refusal::Mismatch) => reply(
            StatusCode::BAD_REQUEST,
            json!({ "error": "the callback does not match the payment" }),
        ),
        Err(Refusal::Internal(error)) => {
            tracing::error!(error.cause_chain = ?error, "settling a payment failed");
            // The provider retries on a 5xx.
            reply(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "try again" }),
            )
        }
    }
}

enum Refusal {
    Unknown,
    Mismatch,
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Refusal {
    fn from(error: E) -> Self {
        Self::Internal(error.into())
    }
}

async fn settle(ctx: &OrdersContext, callback: &Callback) -> Result<&'static str, Refusal> {
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
        Err(crate::error::OrderError::IllegalTransition { .. }) => {
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
