//! Storage: sqlx queries on PostgreSQL or SQLite and the DataLoaders that
//! batch them, and the other sources the service reads: [`clients`], the
//! orders service's internal API. No rules: a write here runs its
//! statements in the caller's transaction and reports what it changed;
//! `service` decides what is allowed, commits, announces and invalidates.
//! The hot reads go through [`cache`] (cache-aside, the filter of known
//! ids) on the way.

pub mod cache;
mod categories;
pub mod clients;
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
mod seed_marker;
mod skus;
mod sql;
pub mod stock;
pub mod stock_changes;

use platform::{
    db::{Db, Migrations},
    events::tables::EventTable,
};
use sqlx::migrate::Migrator;

use std::sync::Arc;

use crate::metrics::Metrics;
use cache::{CatalogCache, KnownIds};

pub use categories::{
    CategoryTree, NewCategory, insert_category, load_tree, set_depth, set_parent,
};
pub use flash_sales::{NewFlashSale, active_sku_stock, insert_flash_sale};
pub use leases::HeldReservation;
pub use products::{
    NewProduct, NewSku, ProductFilter, ProductPage, ProductPatch, ProductSort, SortCursor,
    category_exists, insert_product, insert_sku, set_product_status, update_product,
};
pub use reviews::ReviewInsert;
pub use rows::{Category, FlashSale, Product, ProductDetail, Review, Sku, Status};
pub use sales::{add_sales, record_purchase};
pub use search_documents::{Selection, load_documents};
pub use seed_marker::claim_seed_marker;
pub use skus::{SkuPatch, add_stock, next_sku_position, set_sku_status, sku_exists, update_sku};

/// A write transaction of the catalog's database.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/catalog/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/catalog/sqlite");

/// The catalog's migrations on both engines.
pub static MIGRATIONS: Migrations = Migrations {
    postgres: &POSTGRES,
    sqlite: &SQLITE,
    event_tables: &[EventTable::Outbox, EventTable::ProcessedMessage],
};

/// The catalog's reads: its database and the cache in front of it.
#[derive(Clone)]
pub struct Store {
    db: Db,
    cache: CatalogCache,
    /// The ids of every product, as a Bloom filter: lookups of other ids
    /// stop here.
    known_ids: KnownIds,
    metrics: Arc<Metrics>,
}

impl Store {
    pub fn new(db: Db, cache: CatalogCache, known_ids: KnownIds, metrics: Arc<Metrics>) -> Self {
        Self {
            db,
            cache,
            known_ids,
            metrics,
        }
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn metrics_handle(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Starts a write transaction.
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        self.db.begin_write().await
    }

    /// Whether `id` may be a product; counts the ones ruled out.
    fn might_be_product(&self, id: &str) -> bool {
        let known = self.known_ids.might_exist(id);
        if !known {
            self.metrics.unknown_id();
        }
        known
    }

    /// Reads the cache namespace of this database (see `meta`).
    pub async fn cache_namespace(db: &Db) -> anyhow::Result<String> {
        meta::cache_namespace(db).await
    }
}
