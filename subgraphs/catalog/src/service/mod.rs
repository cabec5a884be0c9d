//! What the catalog does, independent of GraphQL and HTTP: the rules of
//! each write, its transaction, the events it announces (`product.changed`,
//! `stock.changed`) and the cache entries it invalidates; its [`error`];
//! the demo data ([`seed`]). `schema` (GraphQL and the internal API) calls
//! the `Catalog` here; it reads and writes through `store`, publishes
//! through `events` and invalidates `store::cache`.

mod categories;
pub mod error;
mod flash_sales;
mod known_ids;
mod products;
mod reservation_sweeper;
mod reviews;
mod sales;
pub mod seed;
mod stock;
mod stock_changes;

use std::sync::Arc;

use contracts::product::ProductDocumentPage;
use platform::{db::Db, events::outbox::RelayWaker};
use tokio::sync::Notify;

pub use reservation_sweeper::ReservationSweeper;
pub use stock::ReserveError;

use crate::{
    events,
    metrics::Metrics,
    store::{
        self, CategoryTree, FlashSale, HeldReservation, ProductDetail, ProductFilter, ProductPage,
        ProductSort, Selection, Sku, SortCursor, Store, Tx,
        cache::{CatalogCache, KnownIds},
        loaders::Loaders,
    },
};

/// The catalog's use cases. Every write goes through here, so every write
/// announces and invalidates what it changed.
#[derive(Clone)]
pub struct Catalog {
    store: Store,
    cache: CatalogCache,
    /// The filter of known product ids, told of each product created here.
    known_ids: KnownIds,
    /// Wakes the outbox relay after a commit that wrote events.
    events: RelayWaker,
    /// Wakes the stock announcer after a commit that marked a product.
    stock_changes: Arc<Notify>,
}

impl Catalog {
    pub fn new(store: Store, cache: CatalogCache, known_ids: KnownIds, events: RelayWaker) -> Self {
        Self {
            store,
            cache,
            known_ids,
            events,
            stock_changes: Arc::default(),
        }
    }

    pub fn metrics(&self) -> &Metrics {
        self.store.metrics()
    }

    pub fn metrics_handle(&self) -> Arc<Metrics> {
        self.store.metrics_handle()
    }

    /// The database, for the health check.
    pub fn db(&self) -> &Db {
        self.store.db()
    }

    /// The DataLoaders over this catalog's store.
    pub fn loaders(&self) -> Loaders {
        Loaders::new(&self.store)
    }

    /// The end of every write that changes products `ids`: announce them in
    /// `tx`, commit, wake the outbox relay, and drop their cached details.
    async fn commit_product_changes(&self, mut tx: Tx, ids: &[String]) -> anyhow::Result<()> {
        announce(&mut tx, Selection::Ids(ids)).await?;
        tx.commit().await?;
        self.events.wake();
        self.cache
            .invalidate_products(ids.iter().map(String::as_str))
            .await;
        Ok(())
    }

    // Reads: the store's, as the entry points see them.

    /// One page of active products, `first` long, after `after`.
    pub async fn product_page(
        &self,
        filter: &ProductFilter,
        sort: ProductSort,
        first: i64,
        after: Option<&SortCursor>,
    ) -> anyhow::Result<ProductPage> {
        self.store.product_page(filter, sort, first, after).await
    }

    pub async fn product_detail(&self, id: &str) -> anyhow::Result<Option<ProductDetail>> {
        self.store.product_detail(id).await
    }

    pub async fn category_tree(&self) -> anyhow::Result<CategoryTree> {
        self.store.category_tree().await
    }

    pub async fn skus_by_ids(&self, sku_ids: &[String]) -> anyhow::Result<Vec<Sku>> {
        self.store.skus_by_ids(sku_ids).await
    }

    pub async fn flash_sales(&self, at: Option<i64>) -> anyhow::Result<Vec<FlashSale>> {
        self.store.flash_sales(at).await
    }

    pub async fn flash_sales_by_ids(&self, ids: &[String]) -> anyhow::Result<Vec<FlashSale>> {
        self.store.flash_sales_by_ids(ids).await
    }

    pub async fn product_documents(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<ProductDocumentPage> {
        self.store.product_documents(after, limit).await
    }

    pub async fn product_documents_by_ids(
        &self,
        ids: &[String],
    ) -> anyhow::Result<ProductDocumentPage> {
        self.store.product_documents_by_ids(ids).await
    }

    async fn held_before(&self, before: i64, limit: i64) -> anyhow::Result<Vec<HeldReservation>> {
        self.store.held_before(before, limit).await
    }
}

/// Writes `product.changed` for the products of `selection` as they are
/// inside `tx`.
async fn announce(tx: &mut Tx, selection: Selection<'_>) -> anyhow::Result<()> {
    let tree = store::load_tree(&mut **tx).await?;
    let documents = store::load_documents(tx, &tree, selection).await?;
    events::product_changed::enqueue(tx, &documents).await
}
