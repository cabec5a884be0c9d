//! What every service's `GET /metrics` shares: the Prometheus text
//! exposition of a registry (each App owns its registry, no global, so
//! several services in one process keep their counts apart), and the
//! batch/key counters that show a DataLoader at work.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use prometheus::{Encoder, IntCounter, Registry, TextEncoder, proto::MetricFamily};

/// `families` in the text exposition format.
pub fn encode(families: &[MetricFamily]) -> Result<String, prometheus::Error> {
    let mut out = Vec::new();
    TextEncoder::new().encode(families, &mut out)?;
    String::from_utf8(out).map_err(|e| prometheus::Error::Msg(e.to_string()))
}

/// The `/metrics` response of `families`: the text format with its content
/// type, or a logged 500 when they cannot be encoded.
pub fn exposition(families: &[MetricFamily]) -> Response {
    match encode(families) {
        Ok(text) => (
            [(header::CONTENT_TYPE, TextEncoder::new().format_type())],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering metrics failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Registers `collector` with `registry` and hands it back, so a metrics
/// struct can create and register each counter in one expression.
pub fn registered<C>(registry: &Registry, collector: C) -> Result<C, prometheus::Error>
where
    C: prometheus::core::Collector + Clone + 'static,
{
    registry.register(Box::new(collector.clone()))?;
    Ok(collector)
}

/// One DataLoader's counters: `<prefix>_batches_total` (lookups sent to the
/// store, one query each) and `<prefix>_keys_total` (keys they carried).
/// Batching at work shows as few batches for many keys.
#[derive(Clone, Debug)]
pub struct LoaderCounters {
    batches: IntCounter,
    keys: IntCounter,
}

impl LoaderCounters {
    /// Counters named `<prefix>_batches_total` and `<prefix>_keys_total`,
    /// described by `batches_help` and `keys_help`, in `registry`.
    pub fn register(
        registry: &Registry,
        prefix: &str,
        batches_help: &str,
        keys_help: &str,
    ) -> Result<Self, prometheus::Error> {
        Ok(Self {
            batches: registered(
                registry,
                IntCounter::new(format!("{prefix}_batches_total"), batches_help)?,
            )?,
            keys: registered(
                registry,
                IntCounter::new(format!("{prefix}_keys_total"), keys_help)?,
            )?,
        })
    }

    /// Counts one batch of `keys` keys.
    pub fn batch(&self, keys: usize) {
        self.batches.inc();
        self.keys.inc_by(keys as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_counters_count_batches_and_keys() -> Result<(), prometheus::Error> {
        let registry = Registry::new();
        let loader = LoaderCounters::register(&registry, "svc_thing_loader", "Batches.", "Keys.")?;
        loader.batch(3);
        loader.batch(4);
        let text = encode(&registry.gather())?;
        assert!(
            text.contains("svc_thing_loader_batches_total 2\n"),
            "{text}"
        );
        assert!(text.contains("svc_thing_loader_keys_total 7\n"), "{text}");
        assert!(
            text.contains("# HELP svc_thing_loader_keys_total Keys.\n"),
            "{text}"
        );
        Ok(())
    }

    #[test]
    fn registering_a_name_twice_is_an_error() -> Result<(), prometheus::Error> {
        let registry = Registry::new();
        registered(&registry, IntCounter::new("svc_total", "Things.")?)?;
        assert!(registered(&registry, IntCounter::new("svc_total", "Things.")?).is_err());
        Ok(())
    }
}
