//! The lease side of stock reservations: which held reservations are older
//! than the grace period (releasing one is `service::stock`'s).

use sqlx::Row;

use super::Store;

/// A reservation held since `reserved_at` (millis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldReservation {
    pub order_id: String,
    pub reserved_at: i64,
}

impl Store {
    /// Up to `limit` reservations held since before `before` (millis),
    /// oldest first. A plain read: what keeps two sweepers from releasing
    /// one twice is the conditional release, not a lock here.
    pub async fn held_before(
        &self,
        before: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<HeldReservation>> {
        let rows = sqlx::query(
            "SELECT order_id, reserved_at FROM stock_reservation \
             WHERE state = 'RESERVED' AND reserved_at < $1 ORDER BY reserved_at LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(HeldReservation {
                    order_id: row.try_get("order_id")?,
                    reserved_at: row.try_get("reserved_at")?,
                })
            })
            .collect()
    }
}
