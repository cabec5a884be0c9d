//! Keeps the Bloom filter of existing product ids (`cache::KnownIds`) in
//! step with the database: built whole at start, told about each product
//! this process creates, and synced from the database for the products that
//! others created (other replicas, `shopgraph seed`).

use std::time::Duration;

use platform::db::{Db, now_millis};
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use super::Catalog;
use crate::cache::KnownIds;

/// How far back each sync looks before the previous one started: a product
/// is stamped `created_at` before its transaction commits, so a sync can
/// miss one that commits just after it; the overlap catches it next time
/// (and covers clocks of replicas that disagree by less than this).
const SYNC_OVERLAP_MS: i64 = 60_000;

/// Every product id (archived ones too: they still exist).
async fn all_ids(db: &Db) -> anyhow::Result<Vec<String>> {
    let rows = sqlx::query("SELECT product_id FROM product")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("product_id"))
        .collect::<Result<_, _>>()?)
}

/// The filter of every product in `db`.
pub async fn load(db: &Db) -> anyhow::Result<KnownIds> {
    let ids = all_ids(db).await?;
    KnownIds::new(&ids.iter().map(String::as_str).collect::<Vec<_>>())
}

impl Catalog {
    /// Adds the products created since `since` (millis) to the filter, or
    /// rebuilds it larger when it outgrew its size.
    pub async fn sync_known_ids(&self, since: i64) -> anyhow::Result<()> {
        if self.known_ids.is_overfull() {
            let ids = all_ids(&self.db).await?;
            self.known_ids
                .rebuild(&ids.iter().map(String::as_str).collect::<Vec<_>>())?;
            tracing::info!(products = ids.len(), "product id filter rebuilt larger");
        }
        // After a rebuild too: products created while it read are added.
        let rows = sqlx::query("SELECT product_id FROM product WHERE created_at >= $1")
            .bind(since - SYNC_OVERLAP_MS)
            .fetch_all(self.db.pool())
            .await?;
        for row in rows {
            let id: String = row.try_get("product_id")?;
            self.known_ids.insert(&id);
        }
        Ok(())
    }

    /// Syncs the filter every `every` until `cancel`. A failed sync is
    /// logged and tried again next time from the same point.
    pub async fn keep_known_ids_synced(self, every: Duration, cancel: CancellationToken) {
        let mut since = now_millis();
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                () = tokio::time::sleep(every) => {}
            }
            let started = now_millis();
            match self.sync_known_ids(since).await {
                Ok(()) => since = started,
                Err(e) => tracing::warn!(error = %e, "product id filter sync failed"),
            }
        }
    }
}
