//! Idempotent consumers: a consumer records each event id it handled in its
//! service's `processed_message` table, in the same transaction as the
//! effect, and skips an event it already recorded. A redelivered event then
//! changes nothing, and a crash before the commit leaves neither the effect
//! nor the record, so the redelivery does the work once.
//!
//! Every service that consumes events has this table in its migrations
//! (the statement is accepted by PostgreSQL and SQLite alike):
//!
//! ```sql
//! CREATE TABLE processed_message (
//!     consumer TEXT NOT NULL,
//!     message_id TEXT NOT NULL,
//!     processed_at BIGINT NOT NULL,
//!     CONSTRAINT processed_message_pk PRIMARY KEY (consumer, message_id)
//! );
//! ```

use sqlx::AnyConnection;

/// The `processed_message` table, for a service's first migration.
pub const PROCESSED_MESSAGE_TABLE_SQL: &str = "CREATE TABLE processed_message (
    consumer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    CONSTRAINT processed_message_pk PRIMARY KEY (consumer, message_id)
);";

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
