//! Database pools on PostgreSQL or SQLite behind one `sqlx::AnyPool`, so a
//! service has one code path for both engines, plus its migrations.
//!
//! Queries use `$1`-style placeholders, which both engines accept. The Any
//! driver carries integers, floats, text, booleans and bytes, so ids are text
//! (UUIDs) and timestamps are integer milliseconds since the epoch.

use std::{sync::Once, time::Duration};

use anyhow::Context;
use sqlx::{
    AnyPool, Executor, Transaction,
    any::{Any, AnyPoolOptions},
    migrate::Migrator,
};

use crate::events::tables::EventTable;

/// The engine behind a pool, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Sqlite,
}

/// A service's migrations, one set per engine (`migrations/<service>/<engine>/`),
/// and the event tables of platform's that it uses
/// (`crates/platform/migrations/`, [`crate::events::tables`]).
pub struct Migrations {
    pub postgres: &'static Migrator,
    pub sqlite: &'static Migrator,
    pub event_tables: &'static [EventTable],
}

/// A pooled connection to the service's own database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
}

impl Db {
    /// Connects to `url` (`postgres://…` or `sqlite://…`).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let engine = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            anyhow::bail!("unsupported database URL (expected postgres:// or sqlite://)");
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match engine {
            Engine::Postgres => options.max_connections(16),
            // SQLite has one writer: WAL lets readers go on while it writes, and
            // the busy timeout makes concurrent writers queue instead of failing.
            Engine::Sqlite => options.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; \
                         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            }),
        }
        .connect(url)
        .await
        .context("connecting to the database")?;
        Ok(Self { pool, engine })
    }

    /// Applies the service's migrations for this engine, then makes the
    /// event tables it names unless they exist. After, not before: the
    /// service migrations written before platform owned these tables
    /// create them without `IF NOT EXISTS`.
    pub async fn migrate(&self, migrations: &Migrations) -> anyhow::Result<()> {
        let migrator = match self.engine {
            Engine::Postgres => migrations.postgres,
            Engine::Sqlite => migrations.sqlite,
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying migrations")?;
        crate::events::tables::create(self, migrations.event_tables).await
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that is going to write.
    ///
    /// On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads first and writes later cannot wait for
    /// the lock and fails with "database is locked" under concurrency.
    ///
    /// The BEGIN runs on a task of its own. sqlx's begin is not cancel-safe:
    /// a caller dropped while it waits (a request whose client went away)
    /// can leave the pooled connection inside a transaction that no
    /// `Transaction` owns, and every later begin on that connection fails
    /// ("begin_with at non-zero transaction depth"; on SQLite's single
    /// writer, every write of the service). On its own task the BEGIN
    /// finishes; a `Transaction` nobody takes is dropped, which rolls it back.
    /// (Found by tests/consistency: the catalog refused every reserve and
    /// release after a cut connection.)
    pub async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Any>> {
        let pool = self.pool.clone();
        let engine = self.engine;
        tokio::spawn(async move {
            match engine {
                Engine::Postgres => pool.begin().await,
                Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
            }
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("the BEGIN task failed: {e}")))?
    }
}

/// Milliseconds since the Unix epoch, the timestamp format of every table.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// `$start, $start+1, …` for `count` values, for `IN (…)` lists: the Any
/// driver cannot bind arrays, so `= ANY($1)` is not available on it. Every
/// service's dynamic `IN` list is numbered here, so all of them agree with
/// the `$n` style above.
pub fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `error` is a unique-constraint violation of the constraint (or,
/// on SQLite, which reports columns instead of names, the index) `name`.
pub fn is_unique_violation(error: &sqlx::Error, name: &str) -> bool {
    match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            db.constraint().is_none_or(|c| c == name) || db.message().contains(name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_from_start() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(2, 1), "$2");
        assert_eq!(placeholders(4, 0), "");
    }
}
