//! DataLoaders: every nested list and entity lookup is one batched query,
//! however many orders a response holds.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use platform::db::Db;

use crate::metrics::Metrics;

use super::{ItemRow, OrderRow, PaymentRow, orders, payments};

pub struct OrderLoader(pub Db, pub Arc<Metrics>);
pub struct ItemsLoader(pub Db, pub Arc<Metrics>);
pub struct PaymentsLoader(pub Db, pub Arc<Metrics>);
pub struct SalesCountLoader(pub Db, pub Arc<Metrics>);

type LoadError = Arc<sqlx::Error>;

impl Loader<String> for OrderLoader {
    type Value = OrderRow;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, OrderRow>, LoadError> {
        self.1.order_loader.batch(keys.len());
        let rows = orders::find_many(self.0.pool(), keys)
            .await
            .map_err(Arc::new)?;
        Ok(rows.into_iter().map(|r| (r.order_id.clone(), r)).collect())
    }
}

impl Loader<String> for ItemsLoader {
    type Value = Vec<ItemRow>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<ItemRow>>, LoadError> {
        self.1.item_loader.batch(keys.len());
        let rows = orders::items_of(self.0.pool(), keys)
            .await
            .map_err(Arc::new)?;
        let mut map: HashMap<String, Vec<ItemRow>> = HashMap::new();
        for row in rows {
            map.entry(row.order_id.clone()).or_default().push(row);
        }
        Ok(map)
    }
}

impl Loader<String> for PaymentsLoader {
    type Value = Vec<PaymentRow>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<PaymentRow>>, LoadError> {
        self.1.payment_loader.batch(keys.len());
        let rows = payments::of_orders(self.0.pool(), keys)
            .await
            .map_err(Arc::new)?;
        let mut map: HashMap<String, Vec<PaymentRow>> = HashMap::new();
        for row in rows {
            map.entry(row.order_id.clone()).or_default().push(row);
        }
        Ok(map)
    }
}

impl Loader<String> for SalesCountLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, i64>, LoadError> {
        self.1.sales_loader.batch(keys.len());
        let rows = orders::sales_counts(self.0.pool(), keys)
            .await
            .map_err(Arc::new)?;
        Ok(rows.into_iter().collect())
    }
}

/// The loaders, shared by all requests: async-graphql's `DataLoader::new`
/// does not cache, so sharing them batches without serving stale rows.
pub struct Loaders {
    pub orders: DataLoader<OrderLoader>,
    pub items: DataLoader<ItemsLoader>,
    pub payments: DataLoader<PaymentsLoader>,
    pub sales: DataLoader<SalesCountLoader>,
}

impl Loaders {
    pub fn new(db: &Db, metrics: &Arc<Metrics>) -> Self {
        let m = || metrics.clone();
        Self {
            orders: DataLoader::new(OrderLoader(db.clone(), m()), tokio::spawn),
            items: DataLoader::new(ItemsLoader(db.clone(), m()), tokio::spawn),
            payments: DataLoader::new(PaymentsLoader(db.clone(), m()), tokio::spawn),
            sales: DataLoader::new(SalesCountLoader(db.clone(), m()), tokio::spawn),
        }
    }
}
