//! A Redis connection for request paths: it reconnects on its own, and a
//! Redis that does not answer within a bound counts as down instead of
//! holding the request.

use std::time::Duration;

use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// Connects to `url` with connection and response timeouts of `timeout`
/// and one retry; `purpose` names it in errors.
pub async fn connect_bounded(
    url: &str,
    timeout: Duration,
    purpose: &str,
) -> anyhow::Result<ConnectionManager> {
    let client = redis::Client::open(url).context("parsing REDIS_URL")?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout)
        .set_number_of_retries(1);
    ConnectionManager::new_with_config(client, config)
        .await
        .with_context(|| format!("connecting to Redis for {purpose}"))
}
