//! Storage: sqlx queries on PostgreSQL or SQLite, the cache in front of the
//! hot reads, and the DataLoaders that batch them.

mod categories;
mod changes;
mod favorites;
mod flash_sales;
pub mod known_ids;
mod leases;
pub mod loaders;
mod meta;
mod products;
mod reviews;
mod rows;
mod sales;
mod search_documents;
mod skus;
mod sql;
mod stock;

use platform::{
    db::{Db, Migrations},
    events::{outbox::RelayWaker, tables::EventTable},
};
use sqlx::migrate::Migrator;

use std::sync::Arc;

use crate::{
    cache::{CatalogCache, KnownIds},
    metrics::Metrics,
};

pub use categories::NewCategory;
pub use flash_sales::NewFlashSale;
pub use products::{NewProduct, NewSku, ProductFilter, ProductPatch, ProductSort, SortCursor};
pub use rows::{Category, FlashSale, Product, ProductDetail, Review, Sku, Status};
pub use sales::SALES_TOPICS;
pub use skus::SkuPatch;
pub use stock::{Claim, ReserveError};

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/catalog/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/catalog/sqlite");

/// The catalog's migrations on both engines.
pub static MIGRATIONS: Migrations = Migrations {
    postgres: &POSTGRES,
    sqlite: &SQLITE,
    event_tables: &[EventTable::Outbox, EventTable::ProcessedMessage],
};

/// The catalog's storage: its database and the cache in front of it. Every
/// write goes through here, so every write invalidates what it changed.
#[derive(Clone)]
pub struct Catalog {
    db: Db,
    cache: CatalogCache,
    /// The ids of every product, as a Bloom filter: lookups of other ids
    /// stop here.
    known_ids: KnownIds,
    /// Wakes the outbox relay after a commit that wrote events.
    events: RelayWaker,
    metrics: Arc<Metrics>,
}

impl Catalog {
    pub fn new(
        db: Db,
        cache: CatalogCache,
        known_ids: KnownIds,
        events: RelayWaker,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            db,
            cache,
            known_ids,
            events,
            metrics,
        }
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn metrics_handle(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Whether `id` may be a product; counts the ones ruled out.
    fn might_be_product(&self, id: &str) -> bool {
        let known = self.known_ids.might_exist(id);
        if !known {
            self.metrics.unknown_id();
        }
        known
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Reads the cache namespace of this database (see `meta`).
    pub async fn cache_namespace(db: &Db) -> anyhow::Result<String> {
        meta::cache_namespace(db).await
    }
}
