//! Payments: one row per payment attempt, created by `payOrder` and settled
//! by the provider's callback.

use platform::db::placeholders;
use sqlx::{AnyConnection, AnyPool};

use super::rows::{PAYMENT_COLUMNS, PaymentRow};

pub const PENDING: &str = "PENDING";
pub const SUCCEEDED: &str = "SUCCEEDED";
pub const FAILED: &str = "FAILED";
/// The money is owed back (a refund was approved, or the provider took it
/// for an order that was no longer payable) and the provider was asked.
pub const REFUND_PENDING: &str = "REFUND_PENDING";
/// The provider reported the money back with the buyer.
pub const REFUNDED: &str = "REFUNDED";

pub async fn find_by_key(
    pool: &AnyPool,
    user_id: &str,
    key: &str,
) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE user_id = $1 AND idempotency_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(pool)
    .await
}

pub async fn find_in(
    conn: &mut AnyConnection,
    payment_id: &str,
) -> sqlx::Result<Option<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE payment_id = $1"
    ))
    .bind(payment_id)
    .fetch_optional(conn)
    .await
}

/// The order's payments that took its money.
pub async fn succeeded_in(
    conn: &mut AnyConnection,
    order_id: &str,
) -> sqlx::Result<Vec<PaymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE order_id = $1 AND status = $2"
    ))
    .bind(order_id)
    .bind(SUCCEEDED)
    .fetch_all(conn)
    .await
}

pub async fn of_orders(pool: &AnyPool, order_ids: &[String]) -> sqlx::Result<Vec<PaymentRow>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE order_id IN ({}) ORDER BY created_at",
        placeholders(1, order_ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in order_ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

pub async fn insert(pool: &AnyPool, payment: &PaymentRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO payment (payment_id, order_id, user_id, idempotency_key, method, amount, \
         currency, status, callbacks, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)",
    )
    .bind(&payment.payment_id)
    .bind(&payment.order_id)
    .bind(&payment.user_id)
    .bind(&payment.idempotency_key)
    .bind(&payment.method)
    .bind(payment.amount)
    .bind(&payment.currency)
    .bind(&payment.status)
    .bind(payment.created_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Counts a callback for the payment (repeats are recorded, not acted on).
pub async fn count_callback(conn: &mut AnyConnection, payment_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE payment SET callbacks = callbacks + 1 WHERE payment_id = $1")
        .bind(payment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the payment from `from` to `to`; false when it was not in `from`.
pub async fn settle(
    conn: &mut AnyConnection,
    payment_id: &str,
    from: &str,
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE payment SET status = $1, updated_at = $2 WHERE payment_id = $3 AND status = $4",
    )
    .bind(to)
    .bind(now)
    .bind(payment_id)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}
