//! Tracing set-up shared by every binary and by the tests.

use tracing::Subscriber;
use tracing_subscriber::{EnvFilter, fmt::MakeWriter, layer::SubscriberExt};

/// A subscriber that writes to `sink`, filtered by `RUST_LOG` or `filter`.
pub fn get_subscriber<Sink>(filter: &str, sink: Sink) -> impl Subscriber + Send + Sync
where
    Sink: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(sink))
}

/// Installs `subscriber` as the global default; later calls do nothing, so
/// every test may call it.
pub fn init_subscriber(subscriber: impl Subscriber + Send + Sync) {
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Test logging: printed only when `TEST_LOG` is set.
pub fn init_test_tracing() {
    if std::env::var_os("TEST_LOG").is_some() {
        init_subscriber(get_subscriber("info", std::io::stdout));
    } else {
        init_subscriber(get_subscriber("off", std::io::sink));
    }
}

/// At most one "yes" per interval, for warnings about an outage that
/// every request would otherwise log.
pub struct Throttle {
    every_millis: i64,
    /// When `due` last said yes (Unix millis; 0: never).
    last: std::sync::atomic::AtomicI64,
}

impl Throttle {
    pub const fn new(every: std::time::Duration) -> Self {
        Self {
            every_millis: every.as_millis() as i64,
            last: std::sync::atomic::AtomicI64::new(0),
        }
    }

    /// True at most once per interval, across threads.
    pub fn due(&self) -> bool {
        use std::sync::atomic::Ordering;
        let now = crate::db::now_millis();
        let last = self.last.load(Ordering::Relaxed);
        now - last >= self.every_millis
            && self
                .last
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Throttle;

    #[test]
    fn a_throttle_says_yes_once_per_interval() {
        let throttle = Throttle::new(std::time::Duration::from_secs(3600));
        assert!(throttle.due());
        assert!(!throttle.due());
    }
}
