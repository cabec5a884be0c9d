//! Prometheus counters of this instance, served at `GET /metrics`. The
//! loader counters show batching at work: one batch per lookup round,
//! however many keys it carries.
//!
//! Each App owns its registry (no global), so several services in one
//! process (tests, the all-in-one binary) keep their counts apart.

use axum::response::Response;
use platform::metrics::{LoaderCounters, exposition};
use prometheus::Registry;

pub struct Metrics {
    registry: Registry,
    pub user_loader: LoaderCounters,
    pub address_loader: LoaderCounters,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        Ok(Self {
            user_loader: LoaderCounters::register(
                &registry,
                "users_user_loader",
                "User lookups sent to the database (one query each).",
                "User ids looked up by those batches.",
            )?,
            address_loader: LoaderCounters::register(
                &registry,
                "users_address_loader",
                "Address-book lookups sent to the database (one query each).",
                "User ids whose address books those batches read.",
            )?,
            registry,
        })
    }

    /// The `/metrics` response.
    pub fn serve(&self) -> Response {
        exposition(&self.registry.gather())
    }
}
