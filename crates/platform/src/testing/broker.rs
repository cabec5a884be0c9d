//! The broker of an evented test.

use std::{sync::Arc, time::Duration};

use anyhow::Context;

use crate::events::{AmqpBroker, Broker, InProcessBroker};

/// How long a test's RabbitMQ queues outlive their last consumer: the test
/// is over by then, so they do not pile up on the shared server.
const TEST_QUEUE_EXPIRY: Duration = Duration::from_secs(120);

/// RabbitMQ at `amqp_url` (queues that expire after the test), else an
/// in-process broker. A given URL that does not answer is an error.
pub async fn test_broker(amqp_url: Option<&str>) -> anyhow::Result<Arc<dyn Broker>> {
    Ok(match amqp_url {
        Some(url) => Arc::new(
            AmqpBroker::connect(url)
                .await
                .with_context(|| format!("RabbitMQ at {url} is switched on but unreachable"))?
                .with_queue_expiry(TEST_QUEUE_EXPIRY),
        ),
        None => Arc::new(InProcessBroker::new()),
    })
}
