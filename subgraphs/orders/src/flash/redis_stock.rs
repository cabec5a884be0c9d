//! Flash-sale counters in Redis, shared by every replica. Keys per sale:
//! `flash:{id}:remaining` (integer), `flash:{id}:held` (hash buyer →
//! units), `flash:{id}:touched` (millis of the last take or give-back).

use std::{collections::HashMap, time::Duration};

use anyhow::Context;
use async_trait::async_trait;
use platform::db::now_millis;
use redis::{Script, aio::ConnectionManager};

use super::{Counters, FlashStock, Take};

/// Counters outlive any sale window by far, then expire on their own.
const KEY_TTL_SECS: i64 = 30 * 24 * 3600;
/// A Redis that does not answer in this time counts as down.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

/// Check the buyer's limit and the remaining units, then take them, in one
/// atomic step. Returns 1 taken, -1 sold out, -2 over the buyer's limit.
const TAKE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[1], ARGV[4])
end
local remaining = tonumber(redis.call('GET', KEYS[1]))
local quantity = tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held + quantity > tonumber(ARGV[3]) then return -2 end
if remaining < quantity then return -1 end
redis.call('DECRBY', KEYS[1], quantity)
redis.call('HINCRBY', KEYS[2], ARGV[1], quantity)
redis.call('SET', KEYS[3], ARGV[5])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[6]) end
return 1
"#;

const GIVE_BACK: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') - tonumber(ARGV[2])
if held > 0 then redis.call('HSET', KEYS[2], ARGV[1], held) else redis.call('HDEL', KEYS[2], ARGV[1]) end
redis.call('SET', KEYS[3], ARGV[3])
return 1
"#;

/// Overwrite the counters unless a buyer touched the sale since they were
/// read (ARGV[1], the `touched` value then). ARGV[2] remaining, ARGV[3] TTL,
/// then buyer/units pairs. Returns 1 when it wrote.
const RESET: &str = r#"
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[3], ARGV[1])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return 1
"#;

pub struct RedisFlashStock {
    conn: ConnectionManager,
    take: Script,
    give_back: Script,
    reset: Script,
}

fn keys(sale_id: &str) -> [String; 3] {
    [
        format!("flash:{sale_id}:remaining"),
        format!("flash:{sale_id}:held"),
        format!("flash:{sale_id}:touched"),
    ]
}

async fn bounded<T>(future: impl Future<Output = redis::RedisResult<T>>) -> anyhow::Result<T> {
    tokio::time::timeout(REDIS_TIMEOUT, future)
        .await
        .context("Redis did not answer in time")?
        .context("Redis refused the flash-sale command")
}

impl RedisFlashStock {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("parsing REDIS_URL")?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .context("connecting to Redis")?;
        Ok(Self {
            conn,
            take: Script::new(TAKE),
            give_back: Script::new(GIVE_BACK),
            reset: Script::new(RESET),
        })
    }
}

#[async_trait]
impl FlashStock for RedisFlashStock {
    async fn take(
        &self,
        sale_id: &str,
        user_id: &str,
        quantity: i64,
        per_user_limit: i64,
        initial: i64,
    ) -> anyhow::Result<Take> {
        let [remaining, held, touched] = keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.take.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(touched)
            .arg(user_id)
            .arg(quantity)
            .arg(per_user_limit)
            .arg(initial)
            .arg(now_millis())
            .arg(KEY_TTL_SECS);
        let outcome: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(match outcome {
            1 => Take::Taken,
            -2 => Take::LimitReached,
            _ => Take::SoldOut,
        })
    }

    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()> {
        let [remaining, held, touched] = keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.give_back.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(touched)
            .arg(user_id)
            .arg(quantity)
            .arg(now_millis());
        let _: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(())
    }

    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>> {
        let [remaining, held, touched] = keys(sale_id);
        let mut conn = self.conn.clone();
        let (remaining, held, touched): (Option<i64>, HashMap<String, i64>, Option<i64>) = bounded(
            redis::pipe()
                .get(remaining)
                .hgetall(held)
                .get(touched)
                .query_async(&mut conn),
        )
        .await?;
        Ok(remaining.map(|remaining| Counters {
            remaining,
            held,
            touched_at: touched.unwrap_or(0),
        }))
    }

    async fn reset(
        &self,
        sale_id: &str,
        seen_touched_at: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool> {
        let [remaining, held, touched] = keys(sale_id);
        let mut conn = self.conn.clone();
        let mut invocation = self.reset.prepare_invoke();
        invocation
            .key(remaining)
            .key(held)
            .key(touched)
            .arg(seen_touched_at)
            .arg(counters.remaining)
            .arg(KEY_TTL_SECS);
        for (user, units) in &counters.held {
            invocation.arg(user).arg(*units);
        }
        let wrote: i64 = bounded(invocation.invoke_async(&mut conn)).await?;
        Ok(wrote == 1)
    }
}
