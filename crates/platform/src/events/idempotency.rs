//! Idempotent consumers: a consumer records each event id it handled in its
//! service's `processed_message` table, in the same transaction as the
//! effect, and skips an event it already recorded. A redelivered event then
//! changes nothing, and a crash before the commit leaves neither the effect
//! nor the record, so the redelivery does the work once.
//!
//! The table is platform's (`crates/platform/migrations/processed_message.sql`):
//! a service that consumes events names [`EventTable::ProcessedMessage`] in
//! its migrations, and `Db::migrate` makes the table.
//!
//! [`EventTable::ProcessedMessage`]: super::tables::EventTable::ProcessedMessage

use sqlx::AnyConnection;

/// Records that `consumer` handles `message_id` (an [`super::Event`] id) and
/// tells whether this is the first time. Call it inside the transaction that
/// applies the effect (from `Db::begin_write`) and apply the effect only when
/// it returns `true`. A concurrent duplicate waits for the first transaction
/// and then gets `false`.
pub async fn first_delivery(
    conn: &mut AnyConnection,
    consumer: &str,
    message_id: &str,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO processed_message (consumer, message_id, processed_at) \
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(consumer)
    .bind(message_id)
    .bind(crate::db::now_millis())
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
