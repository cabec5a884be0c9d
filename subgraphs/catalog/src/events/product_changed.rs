//! `product.changed`: every write that changes what the search index holds
//! about a product (name, prices, stock, status, category path, sales)
//! writes the product's new document to the outbox in its own transaction,
//! so the index follows the catalog without a change lost or invented.

use contracts::{events::product_changed, product::ProductDocument};
use platform::events::{Event, outbox};
use sqlx::AnyConnection;

/// Writes one `product.changed` event per document to the outbox, inside
/// the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    documents: &[ProductDocument],
) -> anyhow::Result<()> {
    for document in documents {
        let event = Event::new(product_changed::TOPIC, serde_json::to_value(document)?);
        outbox::enqueue(conn, &event).await?;
    }
    Ok(())
}
