//! The product ids behind the Bloom filter of existing products
//! (`cache::KnownIds`): all of them, to build it at start, and the ones
//! created since a time, for `service::known_ids` to sync it.

use platform::db::Db;
use sqlx::{Row, any::AnyRow};

use super::cache::KnownIds;

/// Every product id (archived ones too: they still exist).
pub async fn all_ids(db: &Db) -> anyhow::Result<Vec<String>> {
    let rows = sqlx::query("SELECT product_id FROM product")
        .fetch_all(db.pool())
        .await?;
    product_ids(&rows)
}

/// The filter of every product in `db`.
pub async fn load(db: &Db) -> anyhow::Result<KnownIds> {
    let ids = all_ids(db).await?;
    KnownIds::new(&ids.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The ids of the products created since `since` (millis).
pub async fn created_since(db: &Db, since: i64) -> anyhow::Result<Vec<String>> {
    let rows = sqlx::query("SELECT product_id FROM product WHERE created_at >= $1")
        .bind(since)
        .fetch_all(db.pool())
        .await?;
    product_ids(&rows)
}

fn product_ids(rows: &[AnyRow]) -> anyhow::Result<Vec<String>> {
    Ok(rows
        .iter()
        .map(|r| r.try_get("product_id"))
        .collect::<Result<_, _>>()?)
}
