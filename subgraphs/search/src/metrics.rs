//! `GET /metrics` in the Prometheus text format: what the index is asked
//! and how long it takes, counted by a wrapper around the index.

use std::{
    fmt::Write,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use async_trait::async_trait;
use axum::{Router, extract::State, http::header, response::IntoResponse, routing::get};

use crate::{
    domain::{ProductDocument, SearchRequest, SearchResults, SuggestPrefix, Suggestion},
    index::{Rebuild, SearchIndex, SharedIndex},
};

/// One operation's count, failures and total time.
#[derive(Default)]
struct Timed {
    calls: AtomicU64,
    errors: AtomicU64,
    micros: AtomicU64,
}

impl Timed {
    fn record<T>(&self, started: Instant, result: &anyhow::Result<T>) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if result.is_err() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.micros.fetch_add(micros, Ordering::Relaxed);
    }
}

#[derive(Default)]
pub struct Metrics {
    searches: Timed,
    suggestions: Timed,
    writes: Timed,
    rebuilds: AtomicU64,
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
        self.metrics.rebuilds.fetch_add(1, Ordering::Relaxed);
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

async fn render(State(state): State<MetricsState>) -> impl IntoResponse {
    let mut out = String::new();
    let m = &state.metrics;
    for (name, help, timed) in [
        (
            "search_queries",
            "searchProducts calls to the index",
            &m.searches,
        ),
        (
            "search_suggestions",
            "suggestProducts calls to the index",
            &m.suggestions,
        ),
        (
            "search_index_writes",
            "index writes (events, deletes)",
            &m.writes,
        ),
    ] {
        let _ = writeln!(out, "# HELP shopgraph_{name}_total {help}.");
        let _ = writeln!(out, "# TYPE shopgraph_{name}_total counter");
        let _ = writeln!(
            out,
            "shopgraph_{name}_total {}",
            timed.calls.load(Ordering::Relaxed)
        );
        let _ = writeln!(out, "# TYPE shopgraph_{name}_errors_total counter");
        let _ = writeln!(
            out,
            "shopgraph_{name}_errors_total {}",
            timed.errors.load(Ordering::Relaxed)
        );
        let _ = writeln!(out, "# TYPE shopgraph_{name}_seconds_total counter");
        let seconds = timed.micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "shopgraph_{name}_seconds_total {seconds}");
    }
    let _ = writeln!(
        out,
        "# HELP shopgraph_search_rebuilds_total Full reindexes started."
    );
    let _ = writeln!(out, "# TYPE shopgraph_search_rebuilds_total counter");
    let _ = writeln!(
        out,
        "shopgraph_search_rebuilds_total {}",
        m.rebuilds.load(Ordering::Relaxed)
    );
    if let Ok(documents) = state.index.count().await {
        let _ = writeln!(
            out,
            "# HELP shopgraph_search_documents Products in the index."
        );
        let _ = writeln!(out, "# TYPE shopgraph_search_documents gauge");
        let _ = writeln!(out, "shopgraph_search_documents {documents}");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
