//! Redis connections for request paths: a Redis that does not answer within
//! a bound counts as down instead of holding the request.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::sync::lock;

/// Connects to `url` with connection and response timeouts of `timeout`
/// and one retry; `purpose` names it in errors.
pub async fn connect_bounded(
    url: &str,
    timeout: Duration,
    purpose: &str,
) -> anyhow::Result<ConnectionManager> {
    let client = redis::Client::open(url).context("parsing REDIS_URL")?;
    connect_client(client, timeout, purpose).await
}

async fn connect_client(
    client: redis::Client,
    timeout: Duration,
    purpose: &str,
) -> anyhow::Result<ConnectionManager> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout)
        .set_number_of_retries(1);
    ConnectionManager::new_with_config(client, config)
        .await
        .with_context(|| format!("connecting to Redis for {purpose}"))
}

/// After a failure, Redis is not asked again for this long: while it is
/// down, callers fail at once instead of each waiting for a timeout.
const BACKOFF: Duration = Duration::from_secs(1);

/// A connection made on first use (so a service starts while Redis is
/// away; reconnects are then the connection manager's), whose calls are
/// bounded and skipped for a moment after one failed.
pub struct LazyRedis {
    client: redis::Client,
    timeout: Duration,
    purpose: &'static str,
    connection: tokio::sync::Mutex<Option<ConnectionManager>>,
    failed_at: Mutex<Option<Instant>>,
}

impl LazyRedis {
    /// Checks `url` now; connects on the first call.
    pub fn new(url: &str, timeout: Duration, purpose: &'static str) -> anyhow::Result<Self> {
        Ok(Self {
            client: redis::Client::open(url).context("parsing REDIS_URL")?,
            timeout,
            purpose,
            connection: tokio::sync::Mutex::new(None),
            failed_at: Mutex::new(None),
        })
    }

    /// Runs `call` on the connection within twice the timeout; a failure
    /// (or a failure less than a second ago) is an error.
    pub async fn run<T, F, Fut>(&self, call: F) -> anyhow::Result<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = anyhow::Result<T>>,
    {
        let recently_failed = lock(&self.failed_at).is_some_and(|at| at.elapsed() < BACKOFF);
        if recently_failed {
            anyhow::bail!("Redis ({}) failed less than {BACKOFF:?} ago", self.purpose);
        }
        let result = tokio::time::timeout(self.timeout * 2, async {
            call(self.connection().await?).await
        })
        .await
        .with_context(|| format!("Redis ({}) did not answer in time", self.purpose))
        .and_then(|result| result);
        if result.is_err() {
            *lock(&self.failed_at) = Some(Instant::now());
        }
        result
    }

    async fn connection(&self) -> anyhow::Result<ConnectionManager> {
        let mut connection = self.connection.lock().await;
        if let Some(connection) = connection.as_ref() {
            return Ok(connection.clone());
        }
        let connected = connect_client(self.client.clone(), self.timeout, self.purpose).await?;
        *connection = Some(connected.clone());
        Ok(connected)
    }
}
