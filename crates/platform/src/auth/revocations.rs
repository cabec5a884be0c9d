//! Access tokens revoked before they expire. When an administrator freezes
//! an account, the users service records the moment, and every verifier
//! refuses that account's tokens issued up to then; tokens issued later
//! (after an unfreeze) pass. An entry lives as long as an access token, so
//! the list holds only revocations that still matter.
//!
//! In Redis, shared by every service and replica; embedded, one list per
//! process, which the services of the all-in-one process share.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant},
};

use anyhow::Context;
use async_trait::async_trait;

use crate::{redis_conn::LazyRedis, sync::lock};

#[async_trait]
pub trait Revocations: Send + Sync {
    /// Refuses `user_id`'s tokens issued at or before `at` (seconds since
    /// the epoch), for `ttl`.
    async fn revoke(&self, user_id: &str, at: i64, ttl: Duration) -> anyhow::Result<()>;

    /// When `user_id`'s tokens were last revoked, while that matters.
    async fn revoked_at(&self, user_id: &str) -> anyhow::Result<Option<i64>>;
}

/// The revocation list: in Redis when `redis_url` is given, else this
/// process's own.
pub fn connect(redis_url: Option<&str>) -> anyhow::Result<Arc<dyn Revocations>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisRevocations::new(url)?),
        None => process_list(),
    })
}

/// The one in-process list of this process: the users service that writes
/// it and the verifiers that read it must share it.
fn process_list() -> Arc<dyn Revocations> {
    static LIST: OnceLock<Arc<LocalRevocations>> = OnceLock::new();
    LIST.get_or_init(Default::default).clone()
}

#[derive(Default)]
pub struct LocalRevocations {
    entries: Mutex<HashMap<String, (i64, Instant)>>,
}

#[async_trait]
impl Revocations for LocalRevocations {
    async fn revoke(&self, user_id: &str, at: i64, ttl: Duration) -> anyhow::Result<()> {
        let now = Instant::now();
        // Each critical section leaves the map consistent.
        let mut entries = lock(&self.entries);
        entries.retain(|_, (_, until)| *until > now);
        entries.insert(user_id.to_owned(), (at, now + ttl));
        Ok(())
    }

    async fn revoked_at(&self, user_id: &str) -> anyhow::Result<Option<i64>> {
        let entries = lock(&self.entries);
        Ok(entries
            .get(user_id)
            .filter(|(_, until)| *until > Instant::now())
            .map(|(at, _)| *at))
    }
}

/// A Redis that does not answer in this time counts as down.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// Connected on first use, so a service (or the router) starts while Redis
/// is away and checks tokens once it is back; while it is down, checks fail
/// at once (and the verifier lets the token through).
pub struct RedisRevocations {
    redis: LazyRedis,
}

fn key(user_id: &str) -> String {
    format!("auth:revoked:{user_id}")
}

impl RedisRevocations {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            redis: LazyRedis::new(url, REDIS_TIMEOUT, "the token revocation list")?,
        })
    }
}

#[async_trait]
impl Revocations for RedisRevocations {
    async fn revoke(&self, user_id: &str, at: i64, ttl: Duration) -> anyhow::Result<()> {
        let key = key(user_id);
        self.redis
            .run(|mut conn| async move {
                let _: () = redis::cmd("SET")
                    .arg(key)
                    .arg(at)
                    .arg("EX")
                    .arg(ttl.as_secs().max(1))
                    .query_async(&mut conn)
                    .await
                    .context("recording a token revocation in Redis")?;
                Ok(())
            })
            .await
    }

    async fn revoked_at(&self, user_id: &str) -> anyhow::Result<Option<i64>> {
        let key = key(user_id);
        self.redis
            .run(|mut conn| async move {
                redis::cmd("GET")
                    .arg(key)
                    .query_async(&mut conn)
                    .await
                    .context("reading the token revocation list in Redis")
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract, on the in-process list and (under TEST_REDIS_URL) on
    /// Redis.
    async fn keeps_revocations_for_their_ttl(list: &dyn Revocations) {
        let user = uuid::Uuid::new_v4().to_string();
        assert_eq!(list.revoked_at(&user).await.unwrap(), None);
        list.revoke(&user, 1_000, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(list.revoked_at(&user).await.unwrap(), Some(1_000));
        list.revoke(&user, 2_000, Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(
            list.revoked_at(&user).await.unwrap(),
            Some(2_000),
            "the latest"
        );
        let short = uuid::Uuid::new_v4().to_string();
        list.revoke(&short, 1_000, Duration::from_secs(1))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(2_100)).await;
        assert_eq!(list.revoked_at(&short).await.unwrap(), None, "expired");
    }

    #[tokio::test]
    async fn the_in_process_list_keeps_revocations_for_their_ttl() {
        keeps_revocations_for_their_ttl(&LocalRevocations::default()).await;
    }

    #[tokio::test]
    #[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
    async fn the_redis_list_keeps_revocations_for_their_ttl() {
        let list = RedisRevocations::new(&crate::testing::required_redis_url()).unwrap();
        keeps_revocations_for_their_ttl(&list).await;
    }
}
