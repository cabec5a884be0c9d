//! DataLoaders: every user lookup and every user's address list in a
//! request (and in concurrent requests) is batched into one query.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use platform::db::Db;

use crate::metrics::Metrics;

use super::{
    addresses::{self, AddressRow},
    users::{self, UserRow},
};

/// Users by id.
pub struct UserLoader {
    pub db: Db,
    pub metrics: Arc<Metrics>,
}

impl Loader<String> for UserLoader {
    type Value = UserRow;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, UserRow>, Self::Error> {
        self.metrics.user_loader.batch(keys.len());
        let rows = users::by_ids(&self.db, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|row| (row.id.clone(), row)).collect())
    }
}

/// Address books by user id (a user without addresses maps to an empty list).
pub struct AddressesLoader {
    pub db: Db,
    pub metrics: Arc<Metrics>,
}

impl Loader<String> for AddressesLoader {
    type Value = Vec<AddressRow>;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Vec<AddressRow>>, Self::Error> {
        self.metrics.address_loader.batch(keys.len());
        let rows = addresses::for_users(self.db.pool(), keys)
            .await
            .map_err(Arc::new)?;
        let mut books: HashMap<String, Vec<AddressRow>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for row in rows {
            books.entry(row.user_id.clone()).or_default().push(row);
        }
        Ok(books)
    }
}
