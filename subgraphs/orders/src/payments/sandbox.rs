//! The sandbox payment provider built into the service: it "processes" a
//! payment for a moment and then confirms it the way a real provider does,
//! with a signed HTTP callback to `/payments/callback`.

use platform::db::now_millis;
use serde::{Deserialize, Serialize};

use super::signature::{SIGNATURE_HEADER, sign};
use crate::{context::OrdersContext, store::PaymentRow};

/// The callback body a provider sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Callback {
    pub payment_id: String,
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
    /// `SUCCEEDED` or `FAILED`.
    pub status: String,
    pub provider_reference: String,
}

/// Confirms `payment` after the sandbox delay, retrying a few times when
/// the callback does not get through (as real providers do).
pub fn confirm_later(ctx: &OrdersContext, payment: &PaymentRow) {
    let callback = Callback {
        payment_id: payment.payment_id.clone(),
        order_id: payment.order_id.clone(),
        amount: payment.amount,
        currency: payment.currency.clone(),
        status: "SUCCEEDED".into(),
        provider_reference: format!("sandbox-{}", uuid::Uuid::new_v4().simple()),
    };
    let http = ctx.http.clone();
    let url = ctx.callback_url.clone();
    let secret = ctx.settings.payment_webhook_secret.clone();
    let delay = ctx.settings.sandbox_payment_delay;
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let Ok(body) = serde_json::to_vec(&callback) else {
            return;
        };
        for attempt in 0..5u32 {
            // Signed as it is sent, as a provider does: the time is part of
            // what the receiver checks.
            let signature = sign(&secret, now_millis().div_euclid(1000), &body);
            let sent = http
                .post(&url)
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => return,
                Ok(response) => {
                    tracing::warn!(status = %response.status(), "sandbox payment callback refused");
                }
                Err(error) => tracing::warn!(%error, "sandbox payment callback failed"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
        }
    });
}
