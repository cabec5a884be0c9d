//! The in-process broker: the embedded counterpart of RabbitMQ with the same
//! delivery contract (named queues bound to topic patterns, competing
//! consumers, at-least-once delivery, delayed delivery). One instance is
//! shared by every service of the all-in-one process.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{Broker, Event, Handler, Subscription, redelivery_backoff, topic_matches};
use crate::sync::lock;

/// After this many failed deliveries an event is set aside as a dead letter
/// (RabbitMQ's dead-letter exchange plays this part there).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 20;

#[derive(Clone, Default)]
pub struct InProcessBroker {
    inner: Arc<Inner>,
}

// A panic while holding these short locks cannot leave the data half
// changed (every critical section is a single push, pop or clone), so they
// are taken with `crate::sync::lock`, poisoned or not.
#[derive(Default)]
struct Inner {
    queues: Mutex<HashMap<String, Arc<Queue>>>,
    dead_letters: Mutex<Vec<(String, Event)>>,
}

#[derive(Default)]
struct Queue {
    bindings: Mutex<Vec<String>>,
    ready: Mutex<VecDeque<Pending>>,
    notify: Notify,
}

struct Pending {
    event: Event,
    attempts: u32,
}

impl Queue {
    fn push_back(&self, pending: Pending) {
        lock(&self.ready).push_back(pending);
        self.notify.notify_one();
    }

    fn push_front(&self, pending: Pending) {
        lock(&self.ready).push_front(pending);
        self.notify.notify_one();
    }

    fn pop(&self) -> Option<Pending> {
        lock(&self.ready).pop_front()
    }
}

impl InProcessBroker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Events that failed [`MAX_DELIVERY_ATTEMPTS`] times, with their queue.
    pub fn dead_letters(&self) -> Vec<(String, Event)> {
        lock(&self.inner.dead_letters).clone()
    }

    /// How many events wait in `queue` (not counting one being handled).
    pub fn queued(&self, queue: &str) -> usize {
        lock(&self.inner.queues)
            .get(queue)
            .map_or(0, |q| lock(&q.ready).len())
    }

    fn route(&self, event: &Event) {
        let queues = lock(&self.inner.queues);
        for queue in queues.values() {
            let bound = lock(&queue.bindings)
                .iter()
                .any(|pattern| topic_matches(pattern, &event.topic));
            if bound {
                queue.push_back(Pending {
                    event: event.clone(),
                    attempts: 0,
                });
            }
        }
    }

    fn declare(&self, name: &str, topics: &[&str]) -> Arc<Queue> {
        let mut queues = lock(&self.inner.queues);
        let queue = queues.entry(name.to_owned()).or_default().clone();
        let mut bindings = lock(&queue.bindings);
        for topic in topics {
            if !bindings.iter().any(|b| b == topic) {
                bindings.push((*topic).to_owned());
            }
        }
        drop(bindings);
        queue
    }
}

#[async_trait]
impl Broker for InProcessBroker {
    async fn publish(&self, event: &Event) -> anyhow::Result<()> {
        self.route(event);
        Ok(())
    }

    async fn publish_delayed(&self, event: &Event, delay: Duration) -> anyhow::Result<()> {
        let broker = self.clone();
        let event = event.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            broker.route(&event);
        });
        Ok(())
    }

    async fn subscribe(
        &self,
        queue: &str,
        topics: &[&str],
        handler: Handler,
    ) -> anyhow::Result<Subscription> {
        let name = queue.to_owned();
        let queue = self.declare(queue, topics);
        let cancel = CancellationToken::new();
        tokio::spawn(consume(
            self.inner.clone(),
            name,
            queue,
            handler,
            cancel.clone(),
        ));
        Ok(Subscription::new(cancel))
    }
}

async fn consume(
    inner: Arc<Inner>,
    name: String,
    queue: Arc<Queue>,
    handler: Handler,
    cancel: CancellationToken,
) {
    loop {
        let Some(mut pending) = queue.pop() else {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = queue.notify.notified() => continue,
            }
        };
        // The handler runs as its own task so that a panic in it counts as
        // a failed delivery instead of killing the consumer.
        let mut task = tokio::spawn(handler(pending.event.clone()));
        let outcome = tokio::select! {
            joined = &mut task => Some(joined),
            _ = cancel.cancelled() => None,
        };
        match outcome {
            None => {
                // Stopped mid-delivery: unacknowledged, so it goes back.
                task.abort();
                queue.push_front(pending);
                return;
            }
            Some(Ok(Ok(()))) => {}
            Some(failed) => {
                let error = match failed {
                    Ok(Err(e)) => e.to_string(),
                    Err(join) => join.to_string(),
                    Ok(Ok(())) => String::new(),
                };
                pending.attempts += 1;
                tracing::warn!(queue = %name, topic = %pending.event.topic,
                    attempts = pending.attempts, %error, "event handler failed; redelivering");
                if pending.attempts >= MAX_DELIVERY_ATTEMPTS {
                    lock(&inner.dead_letters).push((name.clone(), pending.event));
                    continue;
                }
                let queue = queue.clone();
                let delay = redelivery_backoff(pending.attempts);
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    queue.push_back(pending);
                });
            }
        }
    }
}
