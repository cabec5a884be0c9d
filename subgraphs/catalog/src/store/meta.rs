//! Per-database settings kept in `catalog_meta`.

use platform::db::Db;
use sqlx::Row;

/// The prefix of every cache key of this database, made once and stored,
/// so replicas on one database share cache entries while catalogs on
/// different databases (test runs, staging) sharing one Redis never read
/// each other's entries.
pub async fn cache_namespace(db: &Db) -> anyhow::Result<String> {
    let candidate = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query(
        "INSERT INTO catalog_meta (meta_key, value) VALUES ('cache_namespace', $1) \
         ON CONFLICT (meta_key) DO NOTHING",
    )
    .bind(&candidate)
    .execute(db.pool())
    .await?;
    let row = sqlx::query("SELECT value FROM catalog_meta WHERE meta_key = 'cache_namespace'")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("value")?)
}
