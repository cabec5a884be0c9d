//! Prometheus metrics of this instance, served at `GET /metrics`: HTTP
//! requests, the cache in front of the hot reads (hits, misses, loads
//! coalesced into another's, ids the Bloom filter turned away), DataLoader
//! batches (one batch per lookup round, however many keys it carries), and
//! the internal stock API's reservations, refusals and releases, and what
//! the reservation sweeper did with the reservations whose lease ran out.
//!
//! Each App owns its registry (no global), so several catalogs in one
//! process (tests, the all-in-one binary) keep their counts apart.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use platform::metrics::exposition;
use prometheus::{HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry};

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// What a cache lookup came to.
#[derive(Clone, Copy, Debug)]
pub enum CacheOutcome {
    /// Answered from the cache.
    Hit,
    /// Not cached: this caller loaded it from the database.
    Miss,
    /// Not cached, and another caller was already loading it: this one
    /// waited for that load (single flight) instead of its own.
    Coalesced,
}

impl CacheOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Coalesced => "coalesced",
        }
    }
}

/// What a stock reservation came to.
#[derive(Clone, Copy, Debug)]
pub enum Reservation {
    Reserved,
    /// The same order id again after its reservation was released: the
    /// stock was taken again.
    ReservedAgain,
    /// The same order id again while its reservation is held: answered
    /// with its lines.
    Repeated,
    RefusedOutOfStock,
    RefusedUnknownSku,
    RefusedBadRequest,
    Failed,
}

impl Reservation {
    fn label(self) -> &'static str {
        match self {
            Self::Reserved => "reserved",
            Self::ReservedAgain => "reserved_again",
            Self::Repeated => "repeated",
            Self::RefusedOutOfStock => "refused_out_of_stock",
            Self::RefusedUnknownSku => "refused_unknown_sku",
            Self::RefusedBadRequest => "refused_bad_request",
            Self::Failed => "failed",
        }
    }
}

/// How one round of the reservation sweeper ended.
#[derive(Clone, Copy, Debug)]
pub enum SweepRound {
    /// It read the old reservations, asked the orders service and acted.
    Done,
    /// The orders service did not answer (or not well): nothing released.
    OrdersUnreachable,
    /// The database failed it.
    Failed,
}

impl SweepRound {
    fn label(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::OrdersUnreachable => "orders_unreachable",
            Self::Failed => "failed",
        }
    }
}

/// What the sweeper did with one reservation past its lease.
#[derive(Clone, Copy, Debug)]
pub enum Swept {
    /// No order (or one that gave its stock back): released.
    Released,
    /// Its order exists and holds the stock: kept.
    Kept,
    /// Released by someone else, or taken again, between the read and the
    /// release: left alone.
    Gone,
    /// The release failed; the next round tries again.
    Failed,
}

impl Swept {
    fn label(self) -> &'static str {
        match self {
            Self::Released => "released",
            Self::Kept => "kept",
            Self::Gone => "gone",
            Self::Failed => "failed",
        }
    }
}

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    cache_lookups: IntCounterVec,
    unknown_ids: IntCounter,
    loader_batches: IntCounterVec,
    loader_keys: IntCounterVec,
    reservations: IntCounterVec,
    releases: IntCounterVec,
    sweep_rounds: IntCounterVec,
    swept: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new("catalog_http_requests_total", "HTTP requests served"),
            &["route", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "catalog_http_request_duration_seconds",
                "HTTP request latency",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route"],
        )?;
        let cache_lookups = IntCounterVec::new(
            Opts::new(
                "catalog_cache_lookups_total",
                "Cache-aside lookups by outcome: hit, miss (loaded from the database), \
                 coalesced (waited for a concurrent load of the same key)",
            ),
            &["kind", "outcome"],
        )?;
        let unknown_ids = IntCounter::new(
            "catalog_product_filter_rejections_total",
            "Product ids the Bloom filter ruled out (no cache or database lookup)",
        )?;
        let loader_batches = IntCounterVec::new(
            Opts::new(
                "catalog_loader_batches_total",
                "DataLoader batches sent to the store (one lookup each)",
            ),
            &["loader"],
        )?;
        let loader_keys = IntCounterVec::new(
            Opts::new(
                "catalog_loader_keys_total",
                "Keys looked up by those batches",
            ),
            &["loader"],
        )?;
        let reservations = IntCounterVec::new(
            Opts::new(
                "catalog_stock_reservations_total",
                "Stock reservation requests by outcome (reserved, reserved_again, repeated, refused_*, failed)",
            ),
            &["outcome"],
        )?;
        let releases = IntCounterVec::new(
            Opts::new(
                "catalog_stock_releases_total",
                "Stock release requests by outcome (released, repeated, failed)",
            ),
            &["outcome"],
        )?;
        let sweep_rounds = IntCounterVec::new(
            Opts::new(
                "catalog_reservation_sweeps_total",
                "Rounds of the reservation sweeper by outcome (done, orders_unreachable: \
                 nothing released, failed)",
            ),
            &["outcome"],
        )?;
        let swept = IntCounterVec::new(
            Opts::new(
                "catalog_reservations_swept_total",
                "Reservations past their lease the sweeper looked at, by outcome (released: \
                 no order held them, kept, gone: released or taken again meanwhile, failed)",
            ),
            &["outcome"],
        )?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(cache_lookups.clone()))?;
        registry.register(Box::new(unknown_ids.clone()))?;
        registry.register(Box::new(loader_batches.clone()))?;
        registry.register(Box::new(loader_keys.clone()))?;
        registry.register(Box::new(reservations.clone()))?;
        registry.register(Box::new(releases.clone()))?;
        registry.register(Box::new(sweep_rounds.clone()))?;
        registry.register(Box::new(swept.clone()))?;
        Ok(Self {
            registry,
            http_requests,
            http_duration,
            cache_lookups,
            unknown_ids,
            loader_batches,
            loader_keys,
            reservations,
            releases,
            sweep_rounds,
            swept,
        })
    }

    /// `kind` is the cached thing (`product`, `category-tree`): a fixed set.
    pub fn cache_lookup(&self, kind: &str, outcome: CacheOutcome) {
        self.cache_lookups
            .with_label_values(&[kind, outcome.label()])
            .inc();
    }

    pub fn unknown_id(&self) {
        self.unknown_ids.inc();
    }

    /// One batch of `loader` (a type name: a fixed set) with `keys` keys.
    pub fn loader_batch(&self, loader: &str, keys: usize) {
        self.loader_batches.with_label_values(&[loader]).inc();
        self.loader_keys
            .with_label_values(&[loader])
            .inc_by(keys as u64);
    }

    pub fn reservation(&self, outcome: Reservation) {
        self.reservations
            .with_label_values(&[outcome.label()])
            .inc();
    }

    /// `released` false: the reservation was already released or unknown.
    pub fn release(&self, outcome: Result<bool, ()>) {
        let label = match outcome {
            Ok(true) => "released",
            Ok(false) => "repeated",
            Err(()) => "failed",
        };
        self.releases.with_label_values(&[label]).inc();
    }

    pub fn sweep_round(&self, outcome: SweepRound) {
        self.sweep_rounds
            .with_label_values(&[outcome.label()])
            .inc();
    }

    pub fn swept(&self, outcome: Swept) {
        self.swept.with_label_values(&[outcome.label()]).inc();
    }

    /// The text exposition format (unit tests read counters from it; the
    /// HTTP handler serves the registry through `platform::metrics`).
    #[cfg(test)]
    pub fn render(&self) -> Result<String, prometheus::Error> {
        platform::metrics::encode(&self.registry.gather())
    }
}

/// Middleware: counts and times every request by its route pattern (not
/// the raw path, so made-up paths cannot grow the label set).
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .http_requests
        .with_label_values(&[route.as_str(), response.status().as_str()])
        .inc();
    metrics
        .http_duration
        .with_label_values(&[route.as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`.
pub async fn serve(State(metrics): State<std::sync::Arc<Metrics>>) -> Response {
    exposition(&metrics.registry.gather())
}
