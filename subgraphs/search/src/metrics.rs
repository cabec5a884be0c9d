//! `GET /metrics` in the Prometheus text format: what the index is asked
//! and how long it takes, counted by a wrapper around the index.
//!
//! Each App owns its registry (no global), so several search services in
//! one process keep their counts apart.

use std::{sync::Arc, time::Instant};

use async_trait::async_trait;
use axum::{Router, extract::State, response::Response, routing::get};
use platform::metrics::{exposition, registered};
use prometheus::{Counter, IntCounter, IntGauge, Registry, core::Collector};

use crate::{
    domain::{ProductDocument, SearchRequest, SearchResults, SuggestPrefix, Suggestion},
    store::{Rebuild, SearchIndex, SharedIndex},
};

/// One operation's count, failures and total time:
/// `shopgraph_<name>_total`, `_errors_total` and `_seconds_total`.
struct Timed {
    calls: IntCounter,
    errors: IntCounter,
    seconds: Counter,
}

impl Timed {
    fn register(registry: &Registry, name: &str, help: &str) -> Result<Self, prometheus::Error> {
        Ok(Self {
            calls: registered(
                registry,
                IntCounter::new(format!("shopgraph_{name}_total"), format!("{help}."))?,
            )?,
            errors: registered(
                registry,
                IntCounter::new(
                    format!("shopgraph_{name}_errors_total"),
                    format!("{help} that failed."),
                )?,
            )?,
            seconds: registered(
                registry,
                Counter::new(
                    format!("shopgraph_{name}_seconds_total"),
                    format!("Time spent in {help}."),
                )?,
            )?,
        })
    }

    fn record<T>(&self, started: Instant, result: &anyhow::Result<T>) {
        self.calls.inc();
        if result.is_err() {
            self.errors.inc();
        }
        self.seconds.inc_by(started.elapsed().as_secs_f64());
    }
}

pub struct Metrics {
    registry: Registry,
    searches: Timed,
    suggestions: Timed,
    writes: Timed,
    rebuilds: IntCounter,
    /// Asked of the index at each scrape, so kept out of the registry: when
    /// the index cannot count, the scrape leaves it out.
    documents: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        Ok(Self {
            searches: Timed::register(
                &registry,
                "search_queries",
                "searchProducts calls to the index",
            )?,
            suggestions: Timed::register(
                &registry,
                "search_suggestions",
                "suggestProducts calls to the index",
            )?,
            writes: Timed::register(
                &registry,
                "search_index_writes",
                "index writes (events, deletes)",
            )?,
            rebuilds: registered(
                &registry,
                IntCounter::new("shopgraph_search_rebuilds_total", "Full reindexes started.")?,
            )?,
            documents: IntGauge::new("shopgraph_search_documents", "Products in the index.")?,
            registry,
        })
    }
}

/// The index, counted.
pub struct MeteredIndex {
    inner: SharedIndex,
    metrics: Arc<Metrics>,
}

impl MeteredIndex {
    pub fn wrap(inner: SharedIndex, metrics: Arc<Metrics>) -> SharedIndex {
        Arc::new(Self { inner, metrics })
    }
}

#[async_trait]
impl SearchIndex for MeteredIndex {
    async fn upsert(&self, products: &[ProductDocument]) -> anyhow::Result<()> {
        let started = Instant::now();
        let result = self.inner.upsert(products).await;
        self.metrics.writes.record(started, &result);
        result
    }

    async fn delete(&self, ids: &[String]) -> anyhow::Result<()> {
        let started = Instant::now();
        let result = self.inner.delete(ids).await;
        self.metrics.writes.record(started, &result);
        result
    }

    async fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let started = Instant::now();
        let result = self.inner.search(request).await;
        self.metrics.searches.record(started, &result);
        result
    }

    async fn suggest(
        &self,
        prefix: &SuggestPrefix,
        limit: usize,
    ) -> anyhow::Result<Vec<Suggestion>> {
        let started = Instant::now();
        let result = self.inner.suggest(prefix, limit).await;
        self.metrics.suggestions.record(started, &result);
        result
    }

    async fn count(&self) -> anyhow::Result<u64> {
        self.inner.count().await
    }

    async fn rebuild(&self) -> anyhow::Result<Box<dyn Rebuild>> {
        self.metrics.rebuilds.inc();
        self.inner.rebuild().await
    }
}

#[derive(Clone)]
struct MetricsState {
    metrics: Arc<Metrics>,
    index: SharedIndex,
}

pub fn router(metrics: Arc<Metrics>, index: SharedIndex) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(MetricsState { metrics, index })
}

async fn render(State(state): State<MetricsState>) -> Response {
    let metrics = &state.metrics;
    let mut families = metrics.registry.gather();
    if let Ok(documents) = state.index.count().await {
        metrics
            .documents
            .set(i64::try_from(documents).unwrap_or(i64::MAX));
        families.extend(metrics.documents.collect());
    }
    exposition(&families)
}
