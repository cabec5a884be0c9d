//! The event tables platform owns: the `outbox` ([`super::outbox`]) and
//! `processed_message` ([`super::idempotency`]). Their DDL is declared once,
//! in `crates/platform/migrations/`, and [`create`] makes the ones a service
//! names in its [`Migrations`](crate::db::Migrations) when
//! [`Db::migrate`](crate::db::Db::migrate) runs, after the service's own
//! migrations.
//!
//! Why not a sqlx migration: sqlx 0.8 keeps every migrator's history in
//! one `_sqlx_migrations` table and refuses a database holding versions
//! its migrator does not know, so a second migrator per database would
//! clash with the service's. The statements are idempotent instead
//! (`IF NOT EXISTS`), which also covers the databases that have these
//! tables from the service migrations written before platform owned them
//! (applied migrations cannot be edited: sqlx checks their checksums).

use anyhow::Context;

use crate::db::{Db, Engine};

/// One of the event tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventTable {
    /// `outbox`: for a service that publishes events.
    Outbox,
    /// `processed_message`: for a service that consumes events.
    ProcessedMessage,
}

impl EventTable {
    /// The table's DDL (one or more `;`-separated statements).
    pub fn sql(self) -> &'static str {
        match self {
            Self::Outbox => include_str!("../../migrations/outbox.sql"),
            Self::ProcessedMessage => {
                include_str!("../../migrations/processed_message.sql")
            }
        }
    }
}

/// An arbitrary, fixed key for PostgreSQL's advisory lock: replicas that
/// start together make the tables one at a time (a concurrent
/// `CREATE TABLE IF NOT EXISTS` of the same table can fail on PostgreSQL).
const LOCK_KEY: i64 = 0x5348_4f50_4556_5431; // "SHOPEVT1"

/// Makes `tables` in `db` unless they exist, in one transaction.
pub async fn create(db: &Db, tables: &[EventTable]) -> anyhow::Result<()> {
    if tables.is_empty() {
        return Ok(());
    }
    let mut tx = db
        .begin_write()
        .await
        .context("starting the event tables' transaction")?;
    if db.engine() == Engine::Postgres {
        sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *tx)
            .await
            .context("locking the event tables' creation")?;
    }
    for table in tables {
        for statement in statements(table.sql()) {
            sqlx::query(statement)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("creating the {table:?} table"))?;
        }
    }
    tx.commit().await.context("creating the event tables")
}

/// The statements of `sql`, without its comments.
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';').map(str::trim).filter(|statement| {
        statement
            .lines()
            .any(|line| !line.trim().is_empty() && !line.trim_start().starts_with("--"))
    })
}

#[cfg(test)]
mod tests {
    use super::{EventTable, statements};

    #[test]
    fn each_table_is_created_only_if_missing() {
        for (table, expected) in [
            (
                EventTable::Outbox,
                vec![
                    "CREATE TABLE IF NOT EXISTS outbox",
                    "CREATE INDEX IF NOT EXISTS outbox_pending_idx",
                ],
            ),
            (
                EventTable::ProcessedMessage,
                vec!["CREATE TABLE IF NOT EXISTS processed_message"],
            ),
        ] {
            let found: Vec<&str> = statements(table.sql()).collect();
            assert_eq!(found.len(), expected.len(), "{table:?}: {found:?}");
            for (statement, start) in found.iter().zip(expected) {
                let code: Vec<&str> = statement
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect();
                assert!(code.join("\n").trim().starts_with(start), "{statement}");
            }
        }
    }
}
