//! The cache behind cache-aside reads: Redis in production, in-process
//! embedded. Values are bytes; callers choose the encoding.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::sync::lock;
use anyhow::Context;
use async_trait::async_trait;
use redis::{AsyncCommands, aio::ConnectionManager};

#[async_trait]
pub trait Cache: Send + Sync {
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>>;
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<()>;
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
}

/// The cache a service uses: Redis when `redis_url` is given, else in-process.
pub async fn connect(redis_url: Option<&str>) -> anyhow::Result<Arc<dyn Cache>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisCache::connect(url).await?),
        None => Arc::new(MemoryCache::default()),
    })
}

/// A Redis-backed cache; every key is shared by all replicas.
#[derive(Clone)]
pub struct RedisCache {
    conn: ConnectionManager,
}

impl RedisCache {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("parsing REDIS_URL")?;
        let conn = ConnectionManager::new(client)
            .await
            .context("connecting to Redis")?;
        Ok(Self { conn })
    }

    /// The connection, for callers that need Redis beyond get/set (scripts).
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.conn.clone().get(key).await?)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<()> {
        let millis = ttl.as_millis().max(1) as u64;
        let _: () = self.conn.clone().pset_ex(key, value, millis).await?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let _: () = self.conn.clone().del(key).await?;
        Ok(())
    }
}

/// An in-process cache for the embedded single-process platform.
#[derive(Default)]
pub struct MemoryCache {
    entries: Mutex<HashMap<String, (Vec<u8>, Instant)>>,
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let mut entries = lock(&self.entries);
        match entries.get(key) {
            Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
            Some(_) => {
                entries.remove(key);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> anyhow::Result<()> {
        let mut entries = lock(&self.entries);
        // Drop expired entries now and then so the map does not only grow.
        if entries.len() > 10_000 {
            let now = Instant::now();
            entries.retain(|_, (_, expires)| *expires > now);
        }
        entries.insert(key.to_owned(), (value.to_vec(), Instant::now() + ttl));
        Ok(())
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        lock(&self.entries).remove(key);
        Ok(())
    }
}
