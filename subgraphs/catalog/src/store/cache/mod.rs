//! Cache-aside in front of the store's hot reads (product detail, the
//! category tree), against the three classic failures:
//! - avalanche: every TTL gets random jitter, so entries written together do
//!   not expire together;
//! - penetration: ids that certainly do not exist are turned away by a
//!   Bloom filter (`KnownIds`) before the cache; an unknown id that gets
//!   past it is cached as an empty result (shortly), so a flood of made-up
//!   ids does not reach the database;
//! - breakdown: concurrent misses for one key in this process share one load
//!   (single flight) instead of all going to the database.
//!
//! Writes delete the keys they change. Cache failures are logged and the
//! read falls through to the database: the cache is an optimisation.

mod guarded;
mod known_ids;

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::{
    FutureExt,
    future::{BoxFuture, Shared},
};
use guarded::Guarded;
use platform::{cache::Cache, sync::lock};
use rand::Rng;
use serde::{Serialize, de::DeserializeOwned};

pub use known_ids::KnownIds;

use crate::metrics::{CacheOutcome, Metrics};

/// Product detail stays cached for an hour.
pub const PRODUCT_TTL: Duration = Duration::from_secs(60 * 60);
/// The category tree changes rarely: a week.
pub const CATEGORY_TREE_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// An empty result (unknown id) is kept briefly, so that a product created
/// under a once-unknown id (never, with UUIDs, but cheaply safe) shows soon.
pub const EMPTY_TTL: Duration = Duration::from_secs(60);

/// When the second delete of an invalidation runs.
const SECOND_DELETE_AFTER: Duration = Duration::from_millis(500);

type Load = Shared<BoxFuture<'static, Result<Arc<Vec<u8>>, Arc<anyhow::Error>>>>;

#[derive(Clone)]
pub struct CatalogCache {
    backend: Arc<Guarded>,
    namespace: Arc<str>,
    in_flight: Arc<Mutex<HashMap<String, Load>>>,
    metrics: Arc<Metrics>,
}

impl CatalogCache {
    pub fn new(backend: Arc<dyn Cache>, namespace: &str, metrics: Arc<Metrics>) -> Self {
        Self {
            backend: Arc::new(Guarded::new(backend)),
            namespace: format!("catalog:{namespace}:").into(),
            in_flight: Arc::default(),
            metrics,
        }
    }

    /// What `key` caches (`product`, `category-tree`), for the metrics.
    fn kind(&self, key: &str) -> &'static str {
        let rest = key.strip_prefix(&*self.namespace).unwrap_or(key);
        if rest.starts_with("product:") {
            "product"
        } else if rest == "category-tree" {
            "category-tree"
        } else {
            "other"
        }
    }

    pub fn product_key(&self, product_id: &str) -> String {
        format!("{}product:{product_id}", self.namespace)
    }

    pub fn category_tree_key(&self) -> String {
        format!("{}category-tree", self.namespace)
    }

    /// The value under `key`, or what `load` returns (`None`: nothing there),
    /// which is then cached for `ttl` (or `EMPTY_TTL` when `None`).
    pub async fn get_or_load<T, F, Fut>(
        &self,
        key: String,
        ttl: Duration,
        load: F,
    ) -> anyhow::Result<Option<T>>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = anyhow::Result<Option<T>>> + Send + 'static,
    {
        if let Some(bytes) = self.backend.get(&key).await {
            match serde_json::from_slice::<Option<T>>(&bytes) {
                Ok(value) => {
                    self.metrics
                        .cache_lookup(self.kind(&key), CacheOutcome::Hit);
                    return Ok(value);
                }
                Err(e) => tracing::warn!(%key, error = %e, "undecodable cache entry; reloading"),
            }
        }
        let bytes = self.load_once(key, ttl, load).await?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// Runs `load` once for all concurrent callers missing `key`.
    async fn load_once<T, F, Fut>(
        &self,
        key: String,
        ttl: Duration,
        load: F,
    ) -> anyhow::Result<Arc<Vec<u8>>>
    where
        T: Serialize + Send + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = anyhow::Result<Option<T>>> + Send + 'static,
    {
        let shared = {
            let mut in_flight = lock(&self.in_flight);
            match in_flight.get(&key) {
                Some(shared) => {
                    self.metrics
                        .cache_lookup(self.kind(&key), CacheOutcome::Coalesced);
                    shared.clone()
                }
                None => {
                    self.metrics
                        .cache_lookup(self.kind(&key), CacheOutcome::Miss);
                    let fut = load();
                    let backend = self.backend.clone();
                    let registry = self.in_flight.clone();
                    let owned_key = key.clone();
                    let shared = async move {
                        let result = async {
                            let value = fut.await?;
                            let ttl = if value.is_some() {
                                jitter(ttl)
                            } else {
                                jitter(EMPTY_TTL)
                            };
                            let bytes = serde_json::to_vec(&value)?;
                            backend.set(&owned_key, &bytes, ttl).await;
                            Ok::<_, anyhow::Error>(Arc::new(bytes))
                        }
                        .await
                        .map_err(Arc::new);
                        // Later misses find the cache filled (or retry after an error).
                        lock(&registry).remove(&owned_key);
                        result
                    }
                    .boxed()
                    .shared();
                    in_flight.insert(key, shared.clone());
                    shared
                }
            }
        };
        shared.await.map_err(|e| anyhow::anyhow!("{e:#}"))
    }

    /// Deletes `key` now and once more a moment later: a read that loaded
    /// the old row before the write and stores it after the first delete
    /// (the classic cache-aside race) is wiped by the second. A failure is
    /// logged; the entry then expires by its TTL.
    pub async fn invalidate(&self, key: &str) {
        self.backend.delete(key).await;
        let backend = self.backend.clone();
        let key = key.to_owned();
        tokio::spawn(async move {
            tokio::time::sleep(SECOND_DELETE_AFTER).await;
            backend.delete(&key).await;
        });
    }

    pub async fn invalidate_products<'a>(&self, product_ids: impl IntoIterator<Item = &'a str>) {
        let keys: Vec<String> = product_ids
            .into_iter()
            .map(|id| self.product_key(id))
            .collect();
        futures::future::join_all(keys.iter().map(|key| self.invalidate(key))).await;
    }
}

/// `ttl` plus up to 10% at random, so entries written together expire apart.
pub fn jitter(ttl: Duration) -> Duration {
    let spread = (ttl.as_millis() / 10).max(1) as u64;
    ttl + Duration::from_millis(rand::thread_rng().gen_range(0..spread))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use platform::cache::MemoryCache;

    use super::*;

    #[test]
    fn jitter_stays_within_a_tenth() {
        for _ in 0..100 {
            let j = jitter(Duration::from_secs(100));
            assert!(j >= Duration::from_secs(100) && j < Duration::from_secs(110));
        }
    }

    #[tokio::test]
    async fn concurrent_misses_share_one_load_and_empty_results_are_cached() {
        let metrics = Arc::new(Metrics::new().expect("metrics"));
        let cache = CatalogCache::new(Arc::new(MemoryCache::default()), "t", metrics.clone());
        let loads = Arc::new(AtomicUsize::new(0));
        let calls = (0..20).map(|_| {
            let loads = loads.clone();
            cache.get_or_load::<String, _, _>("k".into(), PRODUCT_TTL, move || async move {
                loads.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(Some("v".to_owned()))
            })
        });
        let results = futures::future::join_all(calls).await;
        assert!(
            results
                .iter()
                .all(|r| r.as_ref().ok() == Some(&Some("v".to_owned())))
        );
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        let text = metrics.render().expect("renders");
        for line in [
            "catalog_cache_lookups_total{kind=\"other\",outcome=\"miss\"} 1",
            "catalog_cache_lookups_total{kind=\"other\",outcome=\"coalesced\"} 19",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }

        let empty = cache
            .get_or_load::<String, _, _>("missing".into(), PRODUCT_TTL, || async { Ok(None) })
            .await;
        assert!(matches!(empty, Ok(None)));
        let again = cache
            .get_or_load::<String, _, _>("missing".into(), PRODUCT_TTL, || async {
                anyhow::bail!("the empty result should have been cached")
            })
            .await;
        assert!(matches!(again, Ok(None)));
    }
}
