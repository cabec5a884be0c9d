//! Prometheus metrics: client requests, errors and latency per operation,
//! and requests, failures and latency per subgraph. Each router owns its
//! registry (no global), so several routers in one process stay apart.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Instant,
};

use async_trait::async_trait;
use platform::sync::lock;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

use crate::execute::{SubgraphClient, SubgraphError, SubgraphRequest, SubgraphResponse};

/// Operation names are client-chosen: past this many distinct ones, new
/// names are counted as `other` so a client cannot grow the registry.
const MAX_OPERATION_LABELS: usize = 500;

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_errors: IntCounterVec,
    request_duration: HistogramVec,
    subgraph_requests: IntCounterVec,
    subgraph_duration: HistogramVec,
    operations: Mutex<HashSet<String>>,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("router_requests_total", "Client GraphQL requests"),
            &["operation", "status"],
        )?;
        let request_errors = IntCounterVec::new(
            Opts::new(
                "router_request_errors_total",
                "Client GraphQL responses with errors",
            ),
            &["operation"],
        )?;
        let request_duration = HistogramVec::new(
            HistogramOpts::new(
                "router_request_duration_seconds",
                "Client GraphQL request latency",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["operation"],
        )?;
        let subgraph_requests = IntCounterVec::new(
            Opts::new("router_subgraph_requests_total", "Requests to subgraphs"),
            &["subgraph", "outcome"],
        )?;
        let subgraph_duration = HistogramVec::new(
            HistogramOpts::new(
                "router_subgraph_request_duration_seconds",
                "Subgraph request latency",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["subgraph"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(request_errors.clone()))?;
        registry.register(Box::new(request_duration.clone()))?;
        registry.register(Box::new(subgraph_requests.clone()))?;
        registry.register(Box::new(subgraph_duration.clone()))?;
        Ok(Self {
            registry,
            requests,
            request_errors,
            request_duration,
            subgraph_requests,
            subgraph_duration,
            operations: Mutex::new(HashSet::new()),
        })
    }

    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| !n.is_empty() && n.len() <= 100) else {
            return "anonymous".into();
        };
        let mut known = lock(&self.operations);
        if known.contains(name) || known.len() < MAX_OPERATION_LABELS {
            known.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".into()
        }
    }

    /// Records one client request and its response.
    pub fn record_request(
        &self,
        operation: Option<&str>,
        status: u16,
        has_errors: bool,
        started: Instant,
    ) {
        let operation = self.operation_label(operation);
        self.requests
            .with_label_values(&[operation.as_str(), &status.to_string()])
            .inc();
        if has_errors {
            self.request_errors
                .with_label_values(&[operation.as_str()])
                .inc();
        }
        self.request_duration
            .with_label_values(&[operation.as_str()])
            .observe(started.elapsed().as_secs_f64());
    }

    fn record_subgraph(&self, subgraph: &str, outcome: &str, started: Instant) {
        self.subgraph_requests
            .with_label_values(&[subgraph, outcome])
            .inc();
        self.subgraph_duration
            .with_label_values(&[subgraph])
            .observe(started.elapsed().as_secs_f64());
    }

    /// The `/metrics` response.
    pub fn exposition(&self) -> axum::response::Response {
        platform::metrics::exposition(&self.registry.gather())
    }
}

/// A [`SubgraphClient`] that measures the client it wraps.
pub struct MeteredClient {
    inner: Arc<dyn SubgraphClient>,
    metrics: Arc<Metrics>,
}

impl MeteredClient {
    pub fn new(inner: Arc<dyn SubgraphClient>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }
}

#[async_trait]
impl SubgraphClient for MeteredClient {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        let started = Instant::now();
        let result = self.inner.execute(service, request).await;
        let outcome = match &result {
            Ok(response) if response.errors.is_empty() => "ok",
            Ok(_) => "graphql_error",
            Err(SubgraphError::Timeout) => "timeout",
            Err(_) => "error",
        };
        self.metrics.record_subgraph(service, outcome, started);
        result
    }

    fn inner(&self) -> Option<&dyn SubgraphClient> {
        Some(self.inner.as_ref())
    }
}
