//! Subscription fan-out: a message published on a channel reaches every
//! subscriber of that channel in every replica. Redis pub/sub in production,
//! an in-process broadcast embedded. Used for `orderStatusChanged` and other
//! GraphQL subscriptions; delivery is best effort (a subscriber that is not
//! connected at the moment misses the message), as for pub/sub generally.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use anyhow::Context;
use async_trait::async_trait;
use futures::{StreamExt, stream::BoxStream};
use tokio::sync::broadcast;

use crate::sync::lock;

/// Messages a slow in-process subscriber may fall behind before it skips.
const LOCAL_CAPACITY: usize = 1024;

#[async_trait]
pub trait Fanout: Send + Sync {
    /// Sends `payload` to the current subscribers of `channel`.
    async fn publish(&self, channel: &str, payload: Vec<u8>) -> anyhow::Result<()>;

    /// Subscribes to `channel`; the subscription is in place when this
    /// returns, so messages published afterwards are all seen, in order.
    async fn subscribe(&self, channel: &str) -> anyhow::Result<BoxStream<'static, Vec<u8>>>;
}

/// The fan-out a service uses: Redis when `redis_url` is given (from
/// `REDIS_URL`), else in-process. In the all-in-one process one in-process
/// fan-out is made once and handed to every service.
pub async fn connect(redis_url: Option<&str>) -> anyhow::Result<Arc<dyn Fanout>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisFanout::connect(url).await?),
        None => Arc::new(LocalFanout::default()),
    })
}

/// How long a publish may wait for Redis before it fails (and is logged).
const PUBLISH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Fan-out through Redis pub/sub, shared by all replicas.
#[derive(Clone)]
pub struct RedisFanout {
    client: redis::Client,
    publisher: redis::aio::ConnectionManager,
}

impl RedisFanout {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("parsing REDIS_URL")?;
        // Bounded like the services' other Redis connections: publishers
        // await a publish (an order's status change announces itself), and an
        // unbounded one waited forever on a connection that was cut, so
        // payment callbacks and timeouts stopped (tests/consistency, Redis cut).
        let publisher =
            crate::redis_conn::connect_bounded(url, PUBLISH_TIMEOUT, "the subscription fan-out")
                .await?;
        Ok(Self { client, publisher })
    }
}

#[async_trait]
impl Fanout for RedisFanout {
    async fn publish(&self, channel: &str, payload: Vec<u8>) -> anyhow::Result<()> {
        let _: i64 = redis::cmd("PUBLISH")
            .arg(channel)
            .arg(payload)
            .query_async(&mut self.publisher.clone())
            .await
            .context("publishing to Redis")?;
        Ok(())
    }

    async fn subscribe(&self, channel: &str) -> anyhow::Result<BoxStream<'static, Vec<u8>>> {
        // One pub/sub connection per subscriber: a GraphQL subscription is
        // long-lived and rare compared to requests.
        let mut pubsub = self
            .client
            .get_async_pubsub()
            .await
            .context("connecting to Redis for pub/sub")?;
        pubsub
            .subscribe(channel)
            .await
            .context("subscribing in Redis")?;
        Ok(pubsub
            .into_on_message()
            .map(|message| message.get_payload_bytes().to_vec())
            .boxed())
    }
}

/// In-process fan-out for the single-process platform.
#[derive(Clone, Default)]
pub struct LocalFanout {
    /// Each critical section is one map operation; a poisoned lock holds
    /// consistent data (`crate::sync`).
    channels: Arc<Mutex<HashMap<String, broadcast::Sender<Vec<u8>>>>>,
}

#[async_trait]
impl Fanout for LocalFanout {
    async fn publish(&self, channel: &str, payload: Vec<u8>) -> anyhow::Result<()> {
        let mut channels = lock(&self.channels);
        // Nobody listens any more: forget the channel.
        if let Some(sender) = channels.get(channel)
            && sender.send(payload).is_err()
        {
            channels.remove(channel);
        }
        Ok(())
    }

    async fn subscribe(&self, channel: &str) -> anyhow::Result<BoxStream<'static, Vec<u8>>> {
        let receiver = lock(&self.channels)
            .entry(channel.to_owned())
            .or_insert_with(|| broadcast::channel(LOCAL_CAPACITY).0)
            .subscribe();
        Ok(
            futures::stream::unfold(receiver, |mut receiver| async move {
                loop {
                    match receiver.recv().await {
                        Ok(payload) => return Some((payload, receiver)),
                        Err(broadcast::error::RecvError::Lagged(skipped)) => {
                            tracing::warn!(skipped, "fan-out subscriber fell behind");
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            })
            .boxed(),
        )
    }
}
