//! Token buckets in Redis, shared by every router replica. One Lua script
//! checks and takes the tokens of all of a request's buckets atomically,
//! on Redis's clock (so replicas with skewed clocks agree).

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use platform::redis_conn::LazyRedis;
use redis::Script;

use super::backend::{Bucket, Decision, RateLimitBackend};

/// KEYS: the buckets; ARGV: capacity and refill per second of each, in
/// turn. Returns `{1, 0}` when every bucket gave a token, else
/// `{0, milliseconds until the emptiest one holds a token}` and takes
/// nothing. A bucket is a hash of its level and when it was measured; it
/// expires once it would be full again, which is the same as absent.
const TOKEN_BUCKETS: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(state[1]) or capacity
  local ts = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate / 1000)
  levels[i] = tokens
  if tokens < 1 then
    wait = math.max(wait, math.ceil((1 - tokens) * 1000 / rate))
  end
end
if wait > 0 then
  return {0, wait}
end
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  redis.call('HSET', key, 'tokens', tostring(levels[i] - 1), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(capacity * 1000 / rate) + 1000)
end
return {1, 0}
"#;

/// A rate-limit call that takes longer than this counts as Redis being
/// down: the request is let through rather than held up.
const CALL_TIMEOUT: Duration = Duration::from_millis(250);

pub struct RedisBackend {
    /// Connected on first use, so a router starts even while Redis is down;
    /// while it is down, requests pass at once instead of each waiting.
    redis: LazyRedis,
    script: Script,
}

impl RedisBackend {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            redis: LazyRedis::new(url, CALL_TIMEOUT, "rate limits")?,
            script: Script::new(TOKEN_BUCKETS),
        })
    }
}

#[async_trait]
impl RateLimitBackend for RedisBackend {
    async fn acquire(&self, buckets: &[Bucket]) -> anyhow::Result<Decision> {
        if buckets.is_empty() {
            return Ok(Decision::Allowed);
        }
        let mut invocation = self.script.prepare_invoke();
        for bucket in buckets {
            invocation
                .key(&bucket.key)
                .arg(bucket.capacity)
                .arg(bucket.refill_per_second);
        }
        self.redis
            .run(|mut connection| async move {
                let (allowed, wait_ms): (i64, u64) = invocation
                    .invoke_async(&mut connection)
                    .await
                    .context("running the rate limit script")?;
                Ok(if allowed == 1 {
                    Decision::Allowed
                } else {
                    Decision::Limited {
                        retry_after: Duration::from_millis(wait_ms),
                    }
                })
            })
            .await
    }
}
