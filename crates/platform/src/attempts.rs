//! Counters of attempts in fixed windows (failed logins, say), shared by
//! every replica through Redis in production and in-process embedded. A
//! window opens with the first attempt counted and ends `window` later,
//! whatever is counted in between, so a caller can say when it ends.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::Context;
use async_trait::async_trait;

use crate::{redis_conn::LazyRedis, sync::lock};

/// The attempts counted under a key, and when their window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub resets_in: Duration,
}

#[async_trait]
pub trait AttemptCounter: Send + Sync {
    /// The open window of `key`, if there is one.
    async fn tally(&self, key: &str) -> anyhow::Result<Option<Tally>>;
    /// Counts one attempt under `key`, opening a window of `window` when
    /// none is open; atomic, so concurrent attempts are all counted.
    async fn record(&self, key: &str, window: Duration) -> anyhow::Result<Tally>;
    /// Forgets `key`'s window.
    async fn clear(&self, key: &str) -> anyhow::Result<()>;
}

/// The counters: in Redis when `redis_url` is given, else in this process.
pub fn connect(redis_url: Option<&str>) -> anyhow::Result<Arc<dyn AttemptCounter>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisAttempts::new(url)?),
        None => Arc::new(MemoryAttempts::default()),
    })
}

/// In-process windows for the single-process platform.
#[derive(Default)]
pub struct MemoryAttempts {
    windows: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Windows kept before the ended ones are swept, so keys an attacker
/// invents do not pile up.
const SWEEP_ABOVE: usize = 10_000;

#[async_trait]
impl AttemptCounter for MemoryAttempts {
    async fn tally(&self, key: &str) -> anyhow::Result<Option<Tally>> {
        let windows = lock(&self.windows);
        let now = Instant::now();
        Ok(windows
            .get(key)
            .filter(|(_, ends)| *ends > now)
            .map(|(count, ends)| Tally {
                count: *count,
                resets_in: *ends - now,
            }))
    }

    async fn record(&self, key: &str, window: Duration) -> anyhow::Result<Tally> {
        let mut windows = lock(&self.windows);
        let now = Instant::now();
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (_, ends)| *ends > now);
        }
        let entry = windows.entry(key.to_owned()).or_insert((0, now + window));
        if entry.1 <= now {
            *entry = (0, now + window);
        }
        entry.0 = entry.0.saturating_add(1);
        Ok(Tally {
            count: entry.0,
            resets_in: entry.1 - now,
        })
    }

    async fn clear(&self, key: &str) -> anyhow::Result<()> {
        lock(&self.windows).remove(key);
        Ok(())
    }
}

/// A Redis that does not answer in this time counts as down.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// One key per window: INCR counts, the key's expiry is the window's end.
pub struct RedisAttempts {
    redis: LazyRedis,
}

impl RedisAttempts {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            redis: LazyRedis::new(url, REDIS_TIMEOUT, "attempt counters")?,
        })
    }
}

/// INCR, and set the expiry only on the attempt that created the key: a
/// later attempt must not push the window's end back.
const RECORD: &str = r"
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
";

fn tally_of(count: u32, pttl: i64) -> Tally {
    Tally {
        count,
        resets_in: Duration::from_millis(pttl.max(0) as u64),
    }
}

#[async_trait]
impl AttemptCounter for RedisAttempts {
    async fn tally(&self, key: &str) -> anyhow::Result<Option<Tally>> {
        let key = key.to_owned();
        self.redis
            .run(|mut conn| async move {
                let (count, pttl): (Option<u32>, i64) = redis::pipe()
                    .get(&key)
                    .pttl(&key)
                    .query_async(&mut conn)
                    .await
                    .context("reading an attempt counter in Redis")?;
                // PTTL is negative for a key that just expired.
                Ok(count.filter(|_| pttl > 0).map(|c| tally_of(c, pttl)))
            })
            .await
    }

    async fn record(&self, key: &str, window: Duration) -> anyhow::Result<Tally> {
        let key = key.to_owned();
        let millis = window.as_millis().max(1) as u64;
        self.redis
            .run(|mut conn| async move {
                let (count, pttl): (u32, i64) = redis::Script::new(RECORD)
                    .key(key)
                    .arg(millis)
                    .invoke_async(&mut conn)
                    .await
                    .context("counting an attempt in Redis")?;
                Ok(tally_of(count, pttl))
            })
            .await
    }

    async fn clear(&self, key: &str) -> anyhow::Result<()> {
        let key = key.to_owned();
        self.redis
            .run(|mut conn| async move {
                let _: () = redis::cmd("DEL")
                    .arg(key)
                    .query_async(&mut conn)
                    .await
                    .context("clearing an attempt counter in Redis")?;
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract, in process and (under TEST_REDIS_URL) on Redis.
    async fn counts_within_a_window_and_starts_afresh_after_it(counter: &dyn AttemptCounter) {
        let key = format!("test:attempts:{}", uuid::Uuid::new_v4());
        let window = Duration::from_millis(400);
        assert_eq!(counter.tally(&key).await.unwrap(), None);
        let first = counter.record(&key, window).await.unwrap();
        assert_eq!(first.count, 1);
        assert!(first.resets_in <= window && first.resets_in > Duration::ZERO);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let second = counter.record(&key, window).await.unwrap();
        assert_eq!(second.count, 2);
        assert!(
            second.resets_in < first.resets_in,
            "a later attempt keeps the window's end: {second:?} vs {first:?}"
        );
        assert_eq!(counter.tally(&key).await.unwrap().map(|t| t.count), Some(2));
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(counter.tally(&key).await.unwrap(), None, "the window ended");
        assert_eq!(counter.record(&key, window).await.unwrap().count, 1);
        counter.clear(&key).await.unwrap();
        assert_eq!(counter.tally(&key).await.unwrap(), None);
    }

    #[tokio::test]
    async fn in_process_counters_keep_the_contract() {
        counts_within_a_window_and_starts_afresh_after_it(&MemoryAttempts::default()).await;
    }

    #[tokio::test]
    #[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
    async fn redis_counters_keep_the_contract() {
        let url = crate::testing::required_redis_url();
        counts_within_a_window_and_starts_afresh_after_it(&RedisAttempts::new(&url).unwrap()).await;
    }

    #[tokio::test]
    async fn concurrent_attempts_are_each_counted() {
        let mut counters: Vec<Arc<dyn AttemptCounter>> = vec![Arc::new(MemoryAttempts::default())];
        if let Some(url) = crate::testing::redis_url() {
            counters.push(Arc::new(RedisAttempts::new(&url).unwrap()));
        }
        for counter in counters {
            let key = format!("test:attempts:{}", uuid::Uuid::new_v4());
            let tasks: Vec<_> = (0..20)
                .map(|_| {
                    let (counter, key) = (counter.clone(), key.clone());
                    tokio::spawn(async move { counter.record(&key, Duration::from_secs(5)).await })
                })
                .collect();
            for task in tasks {
                task.await.unwrap().unwrap();
            }
            assert_eq!(
                counter.tally(&key).await.unwrap().map(|t| t.count),
                Some(20)
            );
        }
    }
}
