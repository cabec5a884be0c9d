//! Keeps the Bloom filter of existing product ids
//! (`store::cache::KnownIds`) in step with the database: built whole at
//! start (`store::known_ids::load`), told about each product this process
//! creates, and synced from the database for the products that others
//! created (other replicas, `shopgraph seed`).

use std::time::Duration;

use platform::db::now_millis;
use tokio_util::sync::CancellationToken;

use super::Catalog;
use crate::store::known_ids;

/// How far back each sync looks before the previous one started: a product
/// is stamped `created_at` before its transaction commits, so a sync can
/// miss one that commits just after it; the overlap catches it next time
/// (and covers clocks of replicas that disagree by less than this).
const SYNC_OVERLAP_MS: i64 = 60_000;

impl Catalog {
    /// Adds the products created since `since` (millis) to the filter, or
    /// rebuilds it larger when it outgrew its size.
    pub async fn sync_known_ids(&self, since: i64) -> anyhow::Result<()> {
        let db = self.store.db();
        if self.known_ids.is_overfull() {
            let ids = known_ids::all_ids(db).await?;
            self.known_ids
                .rebuild(&ids.iter().map(String::as_str).collect::<Vec<_>>())?;
            tracing::info!(products = ids.len(), "product id filter rebuilt larger");
        }
        // After a rebuild too: products created while it read are added.
        for id in known_ids::created_since(db, since - SYNC_OVERLAP_MS).await? {
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
