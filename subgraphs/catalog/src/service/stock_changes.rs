//! Announcing stock changes: the marks stock writes leave in `stock_change`
//! become one `stock.changed` per product, after those writes committed and
//! outside their row locks.
//!
//! Nothing is lost: a mark is written in the stock write's own transaction,
//! and it is cleared in the transaction that writes its event to the
//! outbox (which the relay then publishes), so a crash in between leaves
//! the mark for the next pass. Changes coalesce: a product has one mark
//! however often it is marked, and the announcer waits [`WINDOW`] after a
//! wake-up before it reads them, so a burst of reservations of one product
//! becomes one event. Each event carries the product's stock as committed
//! when it is announced; a mark made while a pass runs (its `seq` moved on)
//! stays for the next pass, so the last event of a product is never older
//! than its last stock write. A pass with nothing marked opens no write
//! transaction (`store::stock_changes::begin_pass` looks with a read
//! first), so idle replicas polling do not take SQLite's one write lock.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Catalog;
use crate::{events, store};

/// How long the announcer lets marks gather after a stock write woke it.
pub const WINDOW: Duration = Duration::from_millis(50);

/// Marks read (and announced) per transaction.
const BATCH: i64 = 200;

impl Catalog {
    /// The end of a stock write that changed the stock of products
    /// `touched`, of which `marked` may have changed their in-stock state:
    /// mark those (in product order, so concurrent writes lock marks in one
    /// order), commit, wake the announcer, and drop the cached details.
    pub(super) async fn commit_stock_changes(
        &self,
        mut tx: store::Tx,
        mut marked: Vec<String>,
        touched: &[String],
    ) -> anyhow::Result<()> {
        marked.sort();
        marked.dedup();
        for product_id in &marked {
            store::stock_changes::mark(&mut tx, product_id).await?;
        }
        tx.commit().await?;
        if !marked.is_empty() {
            self.stock_changes.notify_one();
        }
        self.cache
            .invalidate_products(touched.iter().map(String::as_str))
            .await;
        Ok(())
    }

    /// Announces every marked product now; returns how many.
    pub async fn announce_stock_changes(&self) -> anyhow::Result<usize> {
        let mut announced = 0;
        loop {
            let Some((mut tx, marks)) =
                store::stock_changes::begin_pass(self.store.db(), BATCH).await?
            else {
                return Ok(announced);
            };
            let ids: Vec<String> = marks.iter().map(|m| m.product_id.clone()).collect();
            let changes = store::stock_changes::stock_of(&mut tx, &ids).await?;
            events::stock_changed::enqueue(&mut tx, &changes).await?;
            for mark in &marks {
                store::stock_changes::clear(&mut tx, mark).await?;
            }
            tx.commit().await?;
            self.events.wake();
            announced += marks.len();
            if (marks.len() as i64) < BATCH {
                return Ok(announced);
            }
        }
    }

    /// Announces marks until `cancel`: [`WINDOW`] after each stock write
    /// that marked one, and every `poll` regardless (marks a crash or a
    /// failed pass left behind, or another replica's writes).
    pub async fn keep_stock_announced(self, poll: Duration, cancel: CancellationToken) {
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                () = self.stock_changes.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
            tokio::select! {
                () = cancel.cancelled() => return,
                () = tokio::time::sleep(WINDOW) => {}
            }
            if let Err(error) = self.announce_stock_changes().await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "announcing stock changes failed"
                );
            }
        }
    }
}
