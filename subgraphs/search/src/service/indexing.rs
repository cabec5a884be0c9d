//! Incremental indexing: the catalog's `product.changed` and
//! `stock.changed` events, applied once each (their ids are recorded in
//! `processed_message`, in the same transaction that the write to the
//! index happens within).
//!
//! A `stock.changed` is small: it names a product whose in-stock state may
//! have changed. The index cannot change one field of a document in place
//! (tantivy replaces whole documents and does not store every field, tags
//! for one), so the product's current document is read from the catalog
//! (`GET /internal/products?ids=`) and written whole. It is read after the
//! event was published, so it is never older than what the event
//! announced; its `updated_at` is the product's (a stock write does not
//! change it), which the index takes as not older than what it holds.

use anyhow::Context;
use contracts::events::{product_changed, stock_changed};
use platform::{
    db::Db,
    events::{Event, Handler, handler, idempotency::first_delivery},
};

use crate::{
    domain::ProductDocument,
    events::product_changed::{CONSUMER, ProductChange},
    store::{SharedIndex, clients::CatalogClient},
};

/// What the index's consumer does with each event: [`apply`] it to
/// `index`, reading from `catalog` what a `stock.changed` names.
pub fn on_product_changed(index: SharedIndex, db: Db, catalog: CatalogClient) -> Handler {
    handler(move |event| {
        let index = index.clone();
        let db = db.clone();
        let catalog = catalog.clone();
        async move { apply(&index, &db, &catalog, &event).await }
    })
}

/// Applies one event unless it was applied before. An error leaves the
/// event to be delivered again (the broker sets it aside after a few tries).
pub async fn apply(
    index: &SharedIndex,
    db: &Db,
    catalog: &CatalogClient,
    event: &Event,
) -> anyhow::Result<()> {
    let change = match event.topic.as_str() {
        stock_changed::TOPIC => {
            let change = crate::events::stock_changed::parse(&event.payload)
                .with_context(|| format!("event {} on {}", event.id, event.topic))?;
            // Read before the transaction, so none is held open meanwhile.
            let products = catalog
                .products_by_ids(std::slice::from_ref(&change.product_id))
                .await
                .with_context(|| format!("reading product {}", change.product_id))?;
            Change::Documents(products)
        }
        topic => {
            debug_assert_eq!(topic, product_changed::TOPIC);
            match ProductChange::parse(&event.payload)
                .with_context(|| format!("event {} on {}", event.id, event.topic))?
            {
                ProductChange::Upsert(product) => Change::Documents(vec![*product]),
                ProductChange::Delete(id) => Change::Delete(id),
            }
        }
    };
    let mut tx = db.begin_write().await.context("starting a transaction")?;
    if !first_delivery(&mut tx, CONSUMER, &event.id).await? {
        return Ok(());
    }
    match change {
        Change::Documents(products) => index.upsert(&products).await?,
        Change::Delete(id) => index.delete(&[id]).await?,
    }
    tx.commit().await.context("recording the processed event")?;
    Ok(())
}

/// What an event asks of the index.
enum Change {
    /// The products as they now are (none when a product is unknown).
    Documents(Vec<ProductDocument>),
    Delete(String),
}
