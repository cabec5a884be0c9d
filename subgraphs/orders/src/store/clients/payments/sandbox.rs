//! The sandbox payment provider built into the service: it "processes" a
//! request for a moment and then reports the outcome the way a real
//! provider does, with a signed HTTP callback to `/payments/callback`.
//! It confirms payments by itself only when switched on
//! (`SANDBOX_AUTO_CONFIRM`); refunds, which the service itself asks for,
//! it always carries out.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use platform::db::now_millis;
use serde::{Deserialize, Serialize};

use super::{
    provider::PaymentProvider,
    signature::{SIGNATURE_HEADER, sign},
};
use crate::{settings::Settings, store::PaymentRow};

/// The callback body a provider sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Callback {
    pub payment_id: String,
    pub order_id: String,
    pub amount: i64,
    pub currency: String,
    /// `SUCCEEDED`, `FAILED`, or `REFUNDED` for a refund carried out.
    pub status: String,
    pub provider_reference: String,
}

pub struct SandboxProvider {
    http: reqwest::Client,
    /// Where callbacks go: this service's `/payments/callback` by default.
    callback_url: String,
    settings: Arc<Settings>,
}

impl SandboxProvider {
    pub fn new(http: reqwest::Client, callback_url: String, settings: Arc<Settings>) -> Self {
        Self {
            http,
            callback_url,
            settings,
        }
    }

    /// Sends `status` for `payment` after the sandbox delay, retrying a few
    /// times when the callback does not get through (as real providers do).
    fn call_back_later(&self, payment: &PaymentRow, status: &str) {
        let callback = Callback {
            payment_id: payment.payment_id.clone(),
            order_id: payment.order_id.clone(),
            amount: payment.amount,
            currency: payment.currency.clone(),
            status: status.to_owned(),
            provider_reference: format!("sandbox-{}", uuid::Uuid::new_v4().simple()),
        };
        let http = self.http.clone();
        let url = self.callback_url.clone();
        let secret = self.settings.payment_webhook_secret.clone();
        let delay = self.settings.sandbox_payment_delay;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let Ok(body) = serde_json::to_vec(&callback) else {
                return;
            };
            for attempt in 0..5u32 {
                // Signed as it is sent, as a provider does: the time is part
                // of what the receiver checks.
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
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
            }
        });
    }
}

#[async_trait]
impl PaymentProvider for SandboxProvider {
    async fn payment_opened(&self, payment: &PaymentRow) -> anyhow::Result<()> {
        if self.settings.sandbox_auto_confirm {
            self.call_back_later(payment, "SUCCEEDED");
        }
        Ok(())
    }

    async fn refund(&self, payment: &PaymentRow) -> anyhow::Result<()> {
        // A repeat sends a second REFUNDED callback, which settles nothing:
        // the payment is REFUNDED after the first.
        self.call_back_later(payment, "REFUNDED");
        Ok(())
    }
}
