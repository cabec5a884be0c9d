//! The cache backend behind a guard: every operation is bounded in time,
//! and an invalidation that failed (Redis unreachable) is remembered and
//! retried, while reads of that key bypass the cache. Without this, a
//! write made while Redis was away would leave the old entry in Redis to be
//! served for up to its TTL once Redis is back.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use platform::{cache::Cache, sync::lock, telemetry::Throttle};

/// The longest a cache operation may take before the read goes to the
/// database instead (Redis answers in well under a millisecond).
const OP_TIMEOUT: Duration = Duration::from_millis(500);
/// How often failed invalidations are retried.
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// One warning about failing cache reads and writes per interval while
/// Redis is down, not one per request (the database answers meanwhile).
static CACHE_TROUBLE: Throttle = Throttle::new(Duration::from_secs(10));

pub struct Guarded {
    backend: Arc<dyn Cache>,
    failed: Mutex<FailedDeletes>,
}

#[derive(Default)]
struct FailedDeletes {
    keys: HashSet<String>,
    last_retry: Option<Instant>,
}

impl Guarded {
    pub fn new(backend: Arc<dyn Cache>) -> Self {
        Self {
            backend,
            failed: Mutex::default(),
        }
    }

    fn is_failed(&self, key: &str) -> bool {
        lock(&self.failed).keys.contains(key)
    }

    /// The cached bytes, or `None` on a miss, a failure or a key whose
    /// invalidation is still owed.
    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.retry_failed().await;
        if self.is_failed(key) {
            return None;
        }
        match tokio::time::timeout(OP_TIMEOUT, self.backend.get(key)).await {
            Ok(Ok(value)) => value,
            Ok(Err(e)) => {
                if CACHE_TROUBLE.due() {
                    tracing::warn!(%key, error = %e, "cache read failed; using the database");
                }
                None
            }
            Err(_) => {
                if CACHE_TROUBLE.due() {
                    tracing::warn!(%key, "cache read timed out; using the database");
                }
                None
            }
        }
    }

    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) {
        if self.is_failed(key) {
            return; // the owed delete comes first
        }
        match tokio::time::timeout(OP_TIMEOUT, self.backend.set(key, value, ttl)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) if CACHE_TROUBLE.due() => {
                tracing::warn!(%key, error = %e, "cache write failed")
            }
            Err(_) if CACHE_TROUBLE.due() => tracing::warn!(%key, "cache write timed out"),
            Ok(Err(_)) | Err(_) => {}
        }
    }

    /// Deletes `key`, or remembers that it is owed.
    pub async fn delete(&self, key: &str) {
        if self.try_delete(key).await {
            lock(&self.failed).keys.remove(key);
        } else {
            tracing::warn!(%key, "cache invalidation failed; retrying later");
            lock(&self.failed).keys.insert(key.to_owned());
        }
    }

    async fn try_delete(&self, key: &str) -> bool {
        matches!(
            tokio::time::timeout(OP_TIMEOUT, self.backend.delete(key)).await,
            Ok(Ok(()))
        )
    }

    /// Retries owed deletes, at most once per `RETRY_EVERY`.
    async fn retry_failed(&self) {
        let keys: Vec<String> = {
            let mut failed = lock(&self.failed);
            if failed.keys.is_empty()
                || failed
                    .last_retry
                    .is_some_and(|at| at.elapsed() < RETRY_EVERY)
            {
                return;
            }
            failed.last_retry = Some(Instant::now());
            failed.keys.iter().cloned().collect()
        };
        for key in keys {
            if self.try_delete(&key).await {
                lock(&self.failed).keys.remove(&key);
            } else {
                return; // still unreachable; try again later
            }
        }
        tracing::info!("owed cache invalidations done");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use async_trait::async_trait;
    use platform::cache::MemoryCache;

    use super::*;

    /// A cache that can be switched off, standing in for an unreachable
    /// Redis (the API tests cut a real one through a TCP proxy).
    #[derive(Default)]
    struct Flaky {
        inner: MemoryCache,
        down: AtomicBool,
    }

    #[async_trait]
    impl Cache for Flaky {
        async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
            anyhow::ensure!(!self.down.load(Ordering::SeqCst), "down");
            self.inner.get(key).await
        }
        async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<()> {
            anyhow::ensure!(!self.down.load(Ordering::SeqCst), "down");
            self.inner.set(key, value, ttl).await
        }
        async fn delete(&self, key: &str) -> anyhow::Result<()> {
            anyhow::ensure!(!self.down.load(Ordering::SeqCst), "down");
            self.inner.delete(key).await
        }
    }

    #[tokio::test]
    async fn an_invalidation_owed_while_down_is_done_before_the_key_is_read_again() {
        let flaky = Arc::new(Flaky::default());
        let guarded = Guarded::new(flaky.clone());
        guarded.set("k", b"old", Duration::from_secs(60)).await;
        flaky.down.store(true, Ordering::SeqCst);
        guarded.delete("k").await;
        assert_eq!(guarded.get("k").await, None);
        flaky.down.store(false, Ordering::SeqCst);
        // Back up: the stale entry is never served; the owed delete goes
        // through at the next retry.
        assert_eq!(guarded.get("k").await, None);
        tokio::time::sleep(RETRY_EVERY + Duration::from_millis(100)).await;
        assert_eq!(guarded.get("k").await, None);
        assert_eq!(flaky.inner.get("k").await.ok().flatten(), None);
        guarded.set("k", b"new", Duration::from_secs(60)).await;
        assert_eq!(guarded.get("k").await, Some(b"new".to_vec()));
    }
}
