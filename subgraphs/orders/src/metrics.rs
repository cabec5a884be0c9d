//! Prometheus counters of this instance, served at `GET /metrics`: what
//! checkout, flash sales, payments and transitions did, how the DataLoaders
//! batched (one batch per lookup round, however many keys it carries), and
//! how many events wait in the outbox.
//!
//! Each App owns its registry (no global), so several replicas in one
//! process (tests, the all-in-one binary) keep their counts apart.

use axum::response::Response;
use platform::metrics::{LoaderCounters, exposition, registered};
use prometheus::{IntCounter, IntGauge, Registry, core::Collector};

pub struct Metrics {
    registry: Registry,
    pub orders_placed: IntCounter,
    pub checkouts_refused: IntCounter,
    pub checkout_releases_failed: IntCounter,
    pub flash_admitted: IntCounter,
    pub flash_refused: IntCounter,
    pub transitions: IntCounter,
    pub callbacks_paid: IntCounter,
    pub callbacks_repeated: IntCounter,
    pub callbacks_refund_pending: IntCounter,
    pub callbacks_failed: IntCounter,
    pub callbacks_forged: IntCounter,
    pub callbacks_stale: IntCounter,
    pub callbacks_refunded: IntCounter,
    pub order_loader: LoaderCounters,
    pub item_loader: LoaderCounters,
    pub payment_loader: LoaderCounters,
    pub sales_loader: LoaderCounters,
    /// Read from the database at each scrape, so kept out of the registry:
    /// when that read fails the scrape leaves it out rather than show a
    /// stale value.
    outbox_pending: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| registered(&registry, IntCounter::new(name, help)?);
        let loader = |prefix: &str, batches: &str, keys: &str| {
            LoaderCounters::register(&registry, prefix, batches, keys)
        };
        Ok(Self {
            orders_placed: counter("orders_placed_total", "Orders placed.")?,
            checkouts_refused: counter(
                "orders_checkouts_refused_total",
                "Checkouts refused with a typed error (out of stock, bad input, …).",
            )?,
            checkout_releases_failed: counter(
                "orders_checkout_releases_failed_total",
                "Reservations of orders that could not be stored whose release failed too \
                 (left to the catalog's reservation sweeper).",
            )?,
            flash_admitted: counter(
                "orders_flash_sale_admitted_total",
                "Flash-sale checkouts admitted by the stock counter.",
            )?,
            flash_refused: counter(
                "orders_flash_sale_refused_total",
                "Flash-sale checkouts refused by the stock counter (sold out, over the limit, counter down).",
            )?,
            transitions: counter(
                "orders_transitions_total",
                "Order state transitions committed.",
            )?,
            callbacks_paid: counter(
                "orders_payment_callbacks_paid_total",
                "Payment callbacks that paid an order.",
            )?,
            callbacks_repeated: counter(
                "orders_payment_callbacks_repeated_total",
                "Repeated payment callbacks (acknowledged, no effect).",
            )?,
            callbacks_refund_pending: counter(
                "orders_payment_callbacks_refund_pending_total",
                "Payments for orders no longer payable, owed back.",
            )?,
            callbacks_failed: counter(
                "orders_payment_callbacks_failed_total",
                "Payment callbacks reporting a failed payment.",
            )?,
            callbacks_forged: counter(
                "orders_payment_callbacks_forged_total",
                "Payment callbacks refused for a bad signature.",
            )?,
            callbacks_refunded: counter(
                "orders_payment_callbacks_refunded_total",
                "Provider callbacks reporting money sent back.",
            )?,
            callbacks_stale: counter(
                "orders_payment_callbacks_stale_total",
                "Genuine payment callbacks refused as signed outside the tolerance window (replays).",
            )?,
            order_loader: loader(
                "orders_order_loader",
                "Order lookups sent to the database (one query each).",
                "Order ids looked up by those batches.",
            )?,
            item_loader: loader(
                "orders_item_loader",
                "Order item lookups sent to the database (one query each).",
                "Order ids whose items those batches read.",
            )?,
            payment_loader: loader(
                "orders_payment_loader",
                "Payment lookups sent to the database (one query each).",
                "Order ids whose payments those batches read.",
            )?,
            sales_loader: loader(
                "orders_sales_loader",
                "Sales-count lookups sent to the database (one query each).",
                "Product ids counted by those batches.",
            )?,
            outbox_pending: IntGauge::new(
                "orders_outbox_pending",
                "Events in the outbox not yet confirmed by the broker.",
            )?,
            registry,
        })
    }

    /// The `/metrics` response; `outbox_pending` is read from the database
    /// by the caller (`None` when that failed).
    pub fn serve(&self, outbox_pending: Option<i64>) -> Response {
        let mut families = self.registry.gather();
        if let Some(pending) = outbox_pending {
            self.outbox_pending.set(pending);
            families.extend(self.outbox_pending.collect());
        }
        exposition(&families)
    }
}
