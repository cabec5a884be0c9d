//! Prometheus counters of this instance, served at `GET /metrics`. The
//! loader counters show batching at work: one batch per lookup round,
//! however many keys it carries.

use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
};

#[derive(Debug, Default)]
pub struct Metrics {
    pub user_batches: AtomicU64,
    pub user_keys: AtomicU64,
    pub address_batches: AtomicU64,
    pub address_keys: AtomicU64,
}

impl Metrics {
    /// Counts one loader batch of `keys` keys.
    pub fn batch(batches: &AtomicU64, keys_counter: &AtomicU64, keys: usize) {
        batches.fetch_add(1, Ordering::Relaxed);
        keys_counter.fetch_add(keys as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, help, value) in [
            (
                "users_user_loader_batches_total",
                "User lookups sent to the database (one query each).",
                &self.user_batches,
            ),
            (
                "users_user_loader_keys_total",
                "User ids looked up by those batches.",
                &self.user_keys,
            ),
            (
                "users_address_loader_batches_total",
                "Address-book lookups sent to the database (one query each).",
                &self.address_batches,
            ),
            (
                "users_address_loader_keys_total",
                "User ids whose address books those batches read.",
                &self.address_keys,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        out
    }
}
