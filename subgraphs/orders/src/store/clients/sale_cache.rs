//! Flash-sale definitions, cached briefly in-process: a crowd of buyers
//! asks for the same sale thousands of times a second, and the definition
//! (price, quantity, window, limit) does not change under it. The stock
//! itself is never cached; the counter is the authority.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use contracts::flash_sale::FlashSaleInfo;
use platform::sync::lock;

use super::catalog::CatalogClient;

/// How long a definition (or its absence) is reused.
const TTL: Duration = Duration::from_secs(2);
/// Entries kept at most; older ones are dropped first when full.
const CAPACITY: usize = 1024;

#[derive(Default)]
pub struct SaleCache {
    /// Each critical section is one map operation, so a poisoned lock is
    /// used as is (`platform::sync`).
    entries: Mutex<HashMap<String, (Instant, Option<FlashSaleInfo>)>>,
}

impl SaleCache {
    /// The sale `id`, from the cache or the catalog.
    pub async fn get(
        &self,
        catalog: &CatalogClient,
        id: &str,
    ) -> anyhow::Result<Option<FlashSaleInfo>> {
        if let Some((at, sale)) = lock(&self.entries).get(id)
            && at.elapsed() < TTL
        {
            return Ok(sale.clone());
        }
        let sale = catalog.flash_sale(id).await?;
        let mut entries = lock(&self.entries);
        if entries.len() >= CAPACITY {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
        }
        if entries.len() < CAPACITY {
            entries.insert(id.to_owned(), (Instant::now(), sale.clone()));
        }
        Ok(sale)
    }
}
