//! The event tables: made by migrations or by platform, kept across
//! restarts, and the processed-message record they hold.

use platform::{
    db::{Db, Migrations},
    events::{
        Event, idempotency,
        tables::{self, EventTable},
    },
    testing,
};
use serde_json::json;

use crate::{enqueue_all, outbox_db};

/// Catalog's migrations as they were applied before platform owned the
/// event tables: their 0002_events creates both, without `IF NOT EXISTS`.
static CATALOG_POSTGRES: sqlx::migrate::Migrator =
    sqlx::migrate!("../../migrations/catalog/postgres");
static CATALOG_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/catalog/sqlite");
/// Users' migrations: a service whose own migrations have no event tables.
static USERS_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/users/postgres");
static USERS_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/users/sqlite");

const BOTH: &[EventTable] = &[EventTable::Outbox, EventTable::ProcessedMessage];

async fn outbox_rows(db: &Db) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM outbox")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n")
}

#[tokio::test]
async fn migrate_keeps_the_event_tables_a_service_migration_made_and_their_rows() {
    let migrations = Migrations {
        postgres: &CATALOG_POSTGRES,
        sqlite: &CATALOG_SQLITE,
        event_tables: BOTH,
    };
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.unwrap();
        let db = Db::connect(&url).await.unwrap();
        db.migrate(&migrations).await.unwrap();
        enqueue_all(&db, &[Event::new("order.paid", json!({}))]).await;
        // A restart migrates again: nothing is made twice, nothing lost.
        db.migrate(&migrations).await.unwrap();
        tables::create(&db, BOTH).await.unwrap();
        assert_eq!(outbox_rows(&db).await, 1, "{engine}");
    }
}

#[tokio::test]
async fn migrate_makes_the_event_tables_a_service_names_and_only_those() {
    for engine in testing::engines() {
        for (tables, outbox) in [(BOTH, true), (&[EventTable::ProcessedMessage][..], false)] {
            let url = testing::fresh_database_url(engine).await.unwrap();
            let db = Db::connect(&url).await.unwrap();
            let migrations = Migrations {
                postgres: &USERS_POSTGRES,
                sqlite: &USERS_SQLITE,
                event_tables: tables,
            };
            db.migrate(&migrations).await.unwrap();
            let mut tx = db.begin_write().await.unwrap();
            assert!(
                idempotency::first_delivery(&mut tx, "search", "m1")
                    .await
                    .unwrap(),
                "{engine}"
            );
            tx.commit().await.unwrap();
            let has_outbox = sqlx::query("SELECT COUNT(*) FROM outbox")
                .execute(db.pool())
                .await
                .is_ok();
            assert_eq!(has_outbox, outbox, "{engine}: {tables:?}");
        }
    }
}

#[tokio::test]
async fn first_delivery_is_true_once_per_consumer_and_message() {
    for engine in testing::engines() {
        let db = outbox_db(engine).await;
        let mut tx = db.begin_write().await.unwrap();
        assert!(
            idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        assert!(
            !idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        assert!(
            idempotency::first_delivery(&mut tx, "search", "m1")
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        assert!(
            !idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        tx.rollback().await.unwrap();
    }
}
