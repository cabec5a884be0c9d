//! Storage: sqlx queries on the orders service's own tables, one runtime
//! code path for PostgreSQL and SQLite, plus the DataLoaders and the
//! flash-sale stock counters (Redis, or in process); and the other parties
//! the service reads from and asks ([`clients`]: the catalog, the users
//! service, the payment provider).

pub mod cart;
pub mod clients;
pub mod flash;
pub mod loaders;
pub mod orders;
pub mod payments;
mod rows;

use platform::{db::Migrations, events::tables::EventTable};
use sqlx::migrate::Migrator;

pub use rows::{ItemRow, OrderRow, PaymentRow};

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/orders/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/orders/sqlite");

/// The orders service's migrations, per engine.
pub static MIGRATIONS: Migrations = Migrations {
    postgres: &POSTGRES,
    sqlite: &SQLITE,
    event_tables: &[EventTable::Outbox, EventTable::ProcessedMessage],
};
