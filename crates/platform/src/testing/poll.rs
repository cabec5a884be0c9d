//! Waiting for something that happens in the background (an event
//! consumed, an order paid): poll until it holds or a deadline passes.

use std::{future::Future, time::Duration};

/// Calls `probe` every `every` until `done` holds for its answer; `Ok`
/// with that answer, or `Err` with the last one once `within` has passed.
pub async fn poll_until<T, Fut>(
    within: Duration,
    every: Duration,
    mut probe: impl FnMut() -> Fut,
    done: impl Fn(&T) -> bool,
) -> Result<T, T>
where
    Fut: Future<Output = T>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let answer = probe().await;
        if done(&answer) {
            return Ok(answer);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(answer);
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_first_answer_that_is_done() {
        let mut calls = 0;
        let answer = poll_until(
            Duration::from_secs(5),
            Duration::from_millis(1),
            || {
                calls += 1;
                std::future::ready(calls)
            },
            |n| *n == 3,
        )
        .await;
        assert_eq!(answer, Ok(3));
    }

    #[tokio::test]
    async fn gives_up_with_the_last_answer_after_the_deadline() {
        let answer = poll_until(
            Duration::from_millis(30),
            Duration::from_millis(5),
            || std::future::ready(7),
            |n| *n == 8,
        )
        .await;
        assert_eq!(answer, Err(7));
    }
}
