//! `stock.changed`: a product whose in-stock state a stock write may have
//! changed, announced after that write committed (`service::stock_changes`
//! reads the marks and writes these in its own transaction), one per
//! product however many writes it coalesced.

use contracts::events::stock_changed::{self, StockChanged};
use sqlx::AnyConnection;

/// Writes one `stock.changed` event per product to the outbox, inside the
/// caller's transaction.
pub async fn enqueue(conn: &mut AnyConnection, changes: &[StockChanged]) -> anyhow::Result<()> {
    super::enqueue(conn, stock_changed::TOPIC, changes).await
}
