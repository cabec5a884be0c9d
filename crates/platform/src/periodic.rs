//! The periodic-task loop the services' background rounds run on (the
//! orders sweep and flash-sale reconciliation, the catalog's reservation
//! sweeper): a round every interval until shutdown.

use std::{future::Future, time::Duration};

use tokio_util::sync::CancellationToken;

/// Runs `round` every `interval` (zero: never) until `cancel`; a failed
/// round is logged and the next one comes as usual, so one bad round (a
/// database or a peer briefly down) does not stop the task.
pub async fn every<F, Fut>(interval: Duration, cancel: CancellationToken, what: &str, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    if interval.is_zero() {
        return;
    }
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(interval) => {}
        }
        if let Err(error) = round().await {
            tracing::warn!(error.cause_chain = ?error, "{what} failed");
        }
    }
}
