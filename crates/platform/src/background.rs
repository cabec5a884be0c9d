//! The tasks a service runs beside its API (the outbox relay, periodic
//! rounds, announcers): spawned when it starts serving, and at shutdown told
//! to stop together and waited for, so each finishes the round it is in.

use std::{future::Future, time::Duration};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::periodic;

#[derive(Default)]
pub struct Background {
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Background {
    /// Spawns `task`, handing it the token that tells it to stop.
    pub fn spawn<F, Fut>(&mut self, task: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.tasks.push(tokio::spawn(task(self.cancel.clone())));
    }

    /// Spawns a task running `round` every `interval` (zero: never) on the
    /// periodic-task loop ([`periodic::every`]).
    pub fn every<F, Fut>(&mut self, interval: Duration, what: &'static str, round: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.spawn(move |cancel| periodic::every(interval, cancel, what, round));
    }

    /// Tells every task to stop and waits until each has.
    pub async fn stop(self) {
        self.cancel.cancel();
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };

    use super::Background;

    #[tokio::test]
    async fn stop_returns_once_every_task_has_seen_the_cancel_through() {
        let finished = Arc::new(AtomicBool::new(false));
        let mut background = Background::default();
        let seen = finished.clone();
        background.spawn(|cancel| async move {
            cancel.cancelled().await;
            tokio::task::yield_now().await;
            seen.store(true, Ordering::SeqCst);
        });
        background.stop().await;
        assert!(finished.load(Ordering::SeqCst));
    }
}
