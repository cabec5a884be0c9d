//! `product.changed`: every write that changes what the search index holds
//! about a product (name, prices, status, category path, sales; stock is
//! `stock_changed`)
//! writes the product's new document to the outbox in its own transaction,
//! so the index follows the catalog without a change lost or invented.

use contracts::{events::product_changed, product::ProductDocument};
use sqlx::AnyConnection;

/// Writes one `product.changed` event per document to the outbox, inside
/// the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    documents: &[ProductDocument],
) -> anyhow::Result<()> {
    super::enqueue(conn, product_changed::TOPIC, documents).await
}
