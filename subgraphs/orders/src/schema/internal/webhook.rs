//! `POST /payments/callback`: the payment provider's report on a payment or
//! a refund, an entry point like the GraphQL schema and the internal API. A bad or stale
//! signature is refused here; what the report changes is
//! `service::payments::callback`'s.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use platform::db::now_millis;
use serde_json::json;

use crate::{
    service::{
        context::OrdersContext,
        payments::callback::{Refusal, settle},
    },
    store::clients::payments::{
        sandbox::Callback,
        signature::{SIGNATURE_HEADER, SignatureError, verify},
    },
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
