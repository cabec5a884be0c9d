//! `product.changed`: every write that changes what the search index holds
//! about a product (name, prices, stock, status, category path, sales)
//! writes the product's new document to the outbox in its own transaction,
//! so the index follows the catalog without a change lost or invented.

use contracts::events::product_changed;
use platform::events::{Event, outbox};
use sqlx::AnyConnection;

use super::{
    Catalog,
    categories::load_tree,
    search_documents::{Selection, load_documents},
};

/// Announces the products `ids` as they are inside the caller's transaction.
pub(super) async fn products_changed(
    conn: &mut AnyConnection,
    ids: &[String],
) -> anyhow::Result<()> {
    announce(conn, Selection::Ids(ids)).await
}

/// Announces every product directly in one of `category_ids` (their
/// category path changed).
pub(super) async fn categories_changed(
    conn: &mut AnyConnection,
    category_ids: &[String],
) -> anyhow::Result<()> {
    announce(conn, Selection::InCategories(category_ids)).await
}

async fn announce(conn: &mut AnyConnection, selection: Selection<'_>) -> anyhow::Result<()> {
    let tree = load_tree(&mut *conn).await?;
    for document in load_documents(conn, &tree, selection).await? {
        let event = Event::new(product_changed::TOPIC, serde_json::to_value(&document)?);
        outbox::enqueue(conn, &event).await?;
    }
    Ok(())
}

impl Catalog {
    /// The end of every write that changes products `ids`: announce them in
    /// `tx`, commit, wake the outbox relay, and drop their cached details.
    pub(super) async fn commit_product_changes(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        ids: &[String],
    ) -> anyhow::Result<()> {
        products_changed(&mut tx, ids).await?;
        tx.commit().await?;
        self.events.wake();
        self.cache
            .invalidate_products(ids.iter().map(String::as_str))
            .await;
        Ok(())
    }
}
