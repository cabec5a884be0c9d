//! Prometheus counters of this instance, served at `GET /metrics`: what
//! checkout, flash sales, payments and transitions did, how the DataLoaders
//! batched (one batch per lookup round, however many keys it carries), and
//! how many events wait in the outbox.

use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
};

#[derive(Debug, Default)]
pub struct Metrics {
    pub orders_placed: AtomicU64,
    pub checkouts_refused: AtomicU64,
    pub flash_admitted: AtomicU64,
    pub flash_refused: AtomicU64,
    pub transitions: AtomicU64,
    pub callbacks_paid: AtomicU64,
    pub callbacks_repeated: AtomicU64,
    pub callbacks_refund_pending: AtomicU64,
    pub callbacks_failed: AtomicU64,
    pub callbacks_forged: AtomicU64,
    pub order_batches: AtomicU64,
    pub order_keys: AtomicU64,
    pub item_batches: AtomicU64,
    pub item_keys: AtomicU64,
    pub payment_batches: AtomicU64,
    pub payment_keys: AtomicU64,
    pub sales_batches: AtomicU64,
    pub sales_keys: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one loader batch of `keys` keys.
    pub fn batch(batches: &AtomicU64, keys_counter: &AtomicU64, keys: usize) {
        batches.fetch_add(1, Ordering::Relaxed);
        keys_counter.fetch_add(keys as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format; `outbox_pending` is read from
    /// the database by the caller.
    pub fn render(&self, outbox_pending: Option<i64>) -> String {
        let mut out = String::new();
        let counters: [(&str, &str, &AtomicU64); 18] = [
            ("orders_placed_total", "Orders placed.", &self.orders_placed),
            (
                "orders_checkouts_refused_total",
                "Checkouts refused with a typed error (out of stock, bad input, …).",
                &self.checkouts_refused,
            ),
            (
                "orders_flash_sale_admitted_total",
                "Flash-sale checkouts admitted by the stock counter.",
                &self.flash_admitted,
            ),
            (
                "orders_flash_sale_refused_total",
                "Flash-sale checkouts refused by the stock counter (sold out, over the limit, counter down).",
                &self.flash_refused,
            ),
            (
                "orders_transitions_total",
                "Order state transitions committed.",
                &self.transitions,
            ),
            (
                "orders_payment_callbacks_paid_total",
                "Payment callbacks that paid an order.",
                &self.callbacks_paid,
            ),
            (
                "orders_payment_callbacks_repeated_total",
                "Repeated payment callbacks (acknowledged, no effect).",
                &self.callbacks_repeated,
            ),
            (
                "orders_payment_callbacks_refund_pending_total",
                "Payments for orders no longer payable, owed back.",
                &self.callbacks_refund_pending,
            ),
            (
                "orders_payment_callbacks_failed_total",
                "Payment callbacks reporting a failed payment.",
                &self.callbacks_failed,
            ),
            (
                "orders_payment_callbacks_forged_total",
                "Payment callbacks refused for a bad signature.",
                &self.callbacks_forged,
            ),
            (
                "orders_order_loader_batches_total",
                "Order lookups sent to the database (one query each).",
                &self.order_batches,
            ),
            (
                "orders_order_loader_keys_total",
                "Order ids looked up by those batches.",
                &self.order_keys,
            ),
            (
                "orders_item_loader_batches_total",
                "Order item lookups sent to the database (one query each).",
                &self.item_batches,
            ),
            (
                "orders_item_loader_keys_total",
                "Order ids whose items those batches read.",
                &self.item_keys,
            ),
            (
                "orders_payment_loader_batches_total",
                "Payment lookups sent to the database (one query each).",
                &self.payment_batches,
            ),
            (
                "orders_payment_loader_keys_total",
                "Order ids whose payments those batches read.",
                &self.payment_keys,
            ),
            (
                "orders_sales_loader_batches_total",
                "Sales-count lookups sent to the database (one query each).",
                &self.sales_batches,
            ),
            (
                "orders_sales_loader_keys_total",
                "Product ids counted by those batches.",
                &self.sales_keys,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        if let Some(pending) = outbox_pending {
            let name = "orders_outbox_pending";
            let _ = writeln!(
                out,
                "# HELP {name} Events in the outbox not yet confirmed by the broker."
            );
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {pending}");
        }
        out
    }
}
