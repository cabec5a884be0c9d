//! Incremental indexing: the catalog's `product.changed` events, applied
//! once each (their ids are recorded in `processed_message`, in the same
//! transaction that the write to the index happens within).

use anyhow::Context;
use platform::{
    db::Db,
    events::{Event, Handler, handler, idempotency::first_delivery},
};

use crate::{
    events::product_changed::{CONSUMER, ProductChange},
    store::SharedIndex,
};

/// What the `product.changed` consumer does with each event: [`apply`] it
/// to `index`.
pub fn on_product_changed(index: SharedIndex, db: Db) -> Handler {
    handler(move |event| {
        let index = index.clone();
        let db = db.clone();
        async move { apply(&index, &db, &event).await }
    })
}

/// Applies one event unless it was applied before. An error leaves the
/// event to be delivered again (the broker sets it aside after a few tries).
pub async fn apply(index: &SharedIndex, db: &Db, event: &Event) -> anyhow::Result<()> {
    let change = ProductChange::parse(&event.payload)
        .with_context(|| format!("event {} on {}", event.id, event.topic))?;
    let mut tx = db.begin_write().await.context("starting a transaction")?;
    if !first_delivery(&mut tx, CONSUMER, &event.id).await? {
        return Ok(());
    }
    match change {
        ProductChange::Upsert(product) => index.upsert(std::slice::from_ref(&*product)).await?,
        ProductChange::Delete(id) => index.delete(&[id]).await?,
    }
    tx.commit().await.context("recording the processed event")?;
    Ok(())
}
