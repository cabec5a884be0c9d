//! Where token buckets live: in this process, or in Redis when several
//! router replicas must share one budget.

use std::time::Duration;

use async_trait::async_trait;

/// One bucket to take a token from.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub key: String,
    pub capacity: u32,
    pub refill_per_second: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// At least one bucket is empty; it holds a token again after this.
    Limited {
        retry_after: Duration,
    },
}

#[async_trait]
pub trait RateLimitBackend: Send + Sync {
    /// Takes one token from every bucket when each holds one, and none
    /// otherwise (so a client shed by its own bucket does not drain the
    /// shared one).
    async fn acquire(&self, buckets: &[Bucket]) -> anyhow::Result<Decision>;
}

/// The time until a bucket at `tokens` holds one whole token.
pub(super) fn wait_for_token(tokens: f64, refill_per_second: f64) -> Duration {
    Duration::from_secs_f64(((1.0 - tokens) / refill_per_second).max(0.0))
}
