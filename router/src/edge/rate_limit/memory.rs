//! In-process token buckets: one router, or a router whose replicas each
//! enforce their own share.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use platform::sync::lock;

use super::backend::{Bucket, Decision, RateLimitBackend, wait_for_token};

#[derive(Debug, Clone, Copy)]
struct Level {
    tokens: f64,
    at: Instant,
    capacity: f64,
    refill_per_second: f64,
}

impl Level {
    fn now(&self, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * self.refill_per_second).min(self.capacity)
    }
}

pub struct MemoryBackend {
    max_entries: usize,
    levels: Mutex<HashMap<String, Level>>,
}

impl MemoryBackend {
    pub fn new(max_entries: usize) -> Self {
        Self {
            max_entries: max_entries.max(1),
            levels: Mutex::new(HashMap::new()),
        }
    }

    pub fn acquire_at(&self, buckets: &[Bucket], now: Instant) -> Decision {
        let mut levels = lock(&self.levels);
        let mut wait = Duration::ZERO;
        let mut current = Vec::with_capacity(buckets.len());
        for bucket in buckets {
            let capacity = f64::from(bucket.capacity);
            let tokens = levels
                .get(&bucket.key)
                .map_or(capacity, |level| level.now(now).min(capacity));
            if tokens < 1.0 {
                wait = wait.max(wait_for_token(tokens, bucket.refill_per_second));
            }
            current.push(tokens);
        }
        if !wait.is_zero() {
            return Decision::Limited { retry_after: wait };
        }
        if levels.len() + buckets.len() > self.max_entries {
            evict_full(&mut levels, now, self.max_entries);
        }
        for (bucket, tokens) in buckets.iter().zip(current) {
            levels.insert(
                bucket.key.clone(),
                Level {
                    tokens: tokens - 1.0,
                    at: now,
                    capacity: f64::from(bucket.capacity),
                    refill_per_second: bucket.refill_per_second,
                },
            );
        }
        Decision::Allowed
    }
}

/// A full bucket is the same as no bucket: dropping those loses nothing.
/// If the map is still over its bound (a flood of distinct clients), it
/// starts over, which briefly forgives everyone rather than growing
/// without end.
fn evict_full(levels: &mut HashMap<String, Level>, now: Instant, max_entries: usize) {
    levels.retain(|_, level| level.now(now) < level.capacity);
    if levels.len() >= max_entries {
        tracing::warn!(
            buckets = levels.len(),
            "rate limit buckets over max_clients; starting over"
        );
        levels.clear();
    }
}

#[async_trait]
impl RateLimitBackend for MemoryBackend {
    async fn acquire(&self, buckets: &[Bucket]) -> anyhow::Result<Decision> {
        Ok(self.acquire_at(buckets, Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(key: &str, capacity: u32, refill_per_second: f64) -> Bucket {
        Bucket {
            key: key.into(),
            capacity,
            refill_per_second,
        }
    }

    #[test]
    fn a_bucket_empties_then_refills_at_its_rate() {
        let backend = MemoryBackend::new(10);
        let start = Instant::now();
        let b = [bucket("a", 2, 2.0)];
        assert_eq!(backend.acquire_at(&b, start), Decision::Allowed);
        assert_eq!(backend.acquire_at(&b, start), Decision::Allowed);
        let Decision::Limited { retry_after } = backend.acquire_at(&b, start) else {
            panic!("third request in a burst of two is limited");
        };
        assert_eq!(retry_after, Duration::from_millis(500));
        let later = start + Duration::from_millis(500);
        assert_eq!(backend.acquire_at(&b, later), Decision::Allowed);
    }

    #[test]
    fn an_empty_bucket_takes_no_token_from_the_others() {
        let backend = MemoryBackend::new(10);
        let now = Instant::now();
        let client = bucket("client", 1, 1.0);
        let global = bucket("global", 2, 0.001);
        assert_eq!(
            backend.acquire_at(&[client.clone(), global.clone()], now),
            Decision::Allowed
        );
        assert!(matches!(
            backend.acquire_at(&[client, global.clone()], now),
            Decision::Limited { .. }
        ));
        // The refused request left the global token in place.
        assert_eq!(backend.acquire_at(&[global], now), Decision::Allowed);
    }

    #[test]
    fn idle_buckets_are_evicted_at_the_bound() {
        let backend = MemoryBackend::new(2);
        let now = Instant::now();
        for key in ["a", "b", "c", "d"] {
            assert_eq!(
                backend.acquire_at(&[bucket(key, 1, 1000.0)], now),
                Decision::Allowed
            );
        }
        let later = now + Duration::from_secs(1);
        assert_eq!(
            backend.acquire_at(&[bucket("e", 1, 1000.0)], later),
            Decision::Allowed
        );
        let levels = backend.levels.lock().expect("lock");
        assert!(levels.len() <= 2, "{levels:?}");
    }
}
