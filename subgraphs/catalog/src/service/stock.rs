//! Stock reservations for orders: all lines or none, once per order id, and
//! released exactly once; and the admin's stock adjustment.
//!
//! Their transactions hold SKU row locks, so they do the stock statements
//! and nothing else: no document is built, no category tree loaded. A write
//! that takes a SKU to zero or back above it (what the search index's
//! `inStock` depends on) marks the product in `stock_change`, one upsert;
//! the announcer (`stock_changes`) turns marks into `stock.changed` after
//! commit. A change that stays on one side of zero announces nothing.

use std::collections::HashSet;

use contracts::stock::{ReserveLine, ReservedLine};
use platform::db::now_millis;

use super::Catalog;
use super::error::{CatalogError, CatalogResult};
use crate::store::{self, HeldReservation, Sku, stock::Claim};

#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("{0}")]
    BadRequest(String),
    #[error("unknown SKU {0}")]
    UnknownSku(String),
    #[error("not enough stock of SKU {0}")]
    OutOfStock(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ReserveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(e).context("reserving stock"))
    }
}

pub struct ReserveOutcome {
    pub lines: Vec<ReservedLine>,
    pub claim: Claim,
}

/// The most lines one reservation may hold.
const MAX_LINES: usize = 200;

fn check(order_id: &str, lines: &[ReserveLine]) -> Result<(), ReserveError> {
    let bad = |m: &str| Err(ReserveError::BadRequest(m.to_owned()));
    if order_id.trim().is_empty() || order_id.len() > 100 {
        return bad("orderId must be 1 to 100 characters");
    }
    if lines.is_empty() || lines.len() > MAX_LINES {
        return bad("a reservation has 1 to 200 lines");
    }
    let mut seen = HashSet::new();
    for line in lines {
        if line.quantity <= 0 {
            return bad("every quantity must be positive");
        }
        if line.quantity > 1_000_000 {
            return bad("a quantity is at most 1000000");
        }
        if !seen.insert(line.sku_id.as_str()) {
            return bad("each SKU may appear once per reservation");
        }
    }
    Ok(())
}

impl Catalog {
    /// Reserves every line for `order_id` in one write transaction: each
    /// line is a conditional decrement, and any shortfall rolls all back.
    ///
    /// A repeat while the reservation is held returns its lines and takes
    /// nothing. A repeat after it was released takes the stock again, with
    /// the same checks as a first reservation, or is refused like one. It
    /// never answers with stock it does not hold: checkout releases a
    /// reservation whenever storing the order fails (a database timeout
    /// too), and the client's retry with the same idempotency key comes
    /// back with the same order id (it is derived from the key), as does a
    /// redelivered flash-sale placement. Re-taking keeps that retry
    /// working; refusing it would fail every retry of the key for good.
    pub async fn reserve_stock(
        &self,
        order_id: &str,
        lines: &[ReserveLine],
    ) -> Result<ReserveOutcome, ReserveError> {
        check(order_id, lines)?;
        let mut tx = self.store.begin_write().await?;
        let now = now_millis();
        let Some(claimed) = store::stock::claim(&mut tx, order_id, now).await? else {
            let lines = store::stock::reserved_lines(&mut tx, order_id).await?;
            tx.commit().await?;
            return Ok(ReserveOutcome {
                lines,
                claim: Claim::Held,
            });
        };

        // Names and prices of every SKU, for the snapshot, in one statement.
        let ids: Vec<String> = lines.iter().map(|l| l.sku_id.clone()).collect();
        let snapshots = store::stock::active_snapshots(&mut tx, &ids).await?;
        let mut reserved = Vec::with_capacity(lines.len());
        for line in lines {
            let Some(sku) = snapshots.iter().find(|s| s.sku_id == line.sku_id) else {
                return Err(ReserveError::UnknownSku(line.sku_id.clone()));
            };
            reserved.push(ReservedLine {
                sku_id: line.sku_id.clone(),
                product_id: sku.product_id.clone(),
                product_name: sku.product_name.clone(),
                sku_name: sku.sku_name.clone(),
                unit_price: sku.unit_price.clone(),
                quantity: line.quantity,
            });
        }

        // Decrement in SKU order, so concurrent reservations on PostgreSQL
        // take row locks in one order and cannot deadlock.
        let mut order: Vec<&ReservedLine> = reserved.iter().collect();
        order.sort_by(|a, b| a.sku_id.cmp(&b.sku_id));
        let mut sold_out = Vec::new();
        for line in order {
            match store::add_stock(&mut tx, &line.sku_id, -line.quantity, now).await? {
                // Dropping the transaction rolls back every decrement and
                // the claim (a released reservation stays released).
                None => return Err(ReserveError::OutOfStock(line.sku_id.clone())),
                Some(sku) if sku.stock == 0 => sold_out.push(line.product_id.clone()),
                Some(_) => {}
            }
        }
        store::stock::set_reserved_lines(&mut tx, order_id, &reserved).await?;
        self.commit_stock_changes(tx, sold_out, &product_ids(&reserved))
            .await?;
        Ok(ReserveOutcome {
            lines: reserved,
            claim: claimed,
        })
    }

    /// Gives an order's reserved stock back, once: the RESERVED → RELEASED
    /// change is conditional and in the same transaction as the increments.
    pub async fn release_stock(&self, order_id: &str) -> anyhow::Result<bool> {
        self.release_held(order_id, None).await
    }

    /// Releases `held` if it is still held as it was when read: false when
    /// it was released meanwhile (by another sweeper, or the orders
    /// service) or taken again (a new lease, which the next sweep judges).
    pub async fn release_lapsed(&self, held: &HeldReservation) -> anyhow::Result<bool> {
        self.release_held(&held.order_id, Some(held.reserved_at))
            .await
    }

    /// [`Self::release_stock`]; with `reserved_at`, only while the
    /// reservation is still the hold that began then, so one taken again
    /// since (a new lease) is left alone. The sweeper releases through
    /// here: it and every other release share the one conditional change,
    /// and two releases at once (two sweeper replicas, a sweeper and the
    /// orders service) give the stock back once.
    async fn release_held(&self, order_id: &str, reserved_at: Option<i64>) -> anyhow::Result<bool> {
        let mut tx = self.store.begin_write().await?;
        let now = now_millis();
        let Some(lines) = store::stock::release(&mut tx, order_id, reserved_at, now).await? else {
            return Ok(false);
        };
        let mut order: Vec<&ReservedLine> = lines.iter().collect();
        order.sort_by(|a, b| a.sku_id.cmp(&b.sku_id));
        let mut back_in_stock = Vec::new();
        for line in order {
            let sku = store::add_stock(&mut tx, &line.sku_id, line.quantity, now).await?;
            // Up from zero: the SKU was sold out before this release.
            if sku.is_some_and(|sku| sku.stock == line.quantity) {
                back_in_stock.push(line.product_id.clone());
            }
        }
        self.commit_stock_changes(tx, back_in_stock, &product_ids(&lines))
            .await?;
        Ok(true)
    }

    /// Adds `delta` (may be negative) to a SKU's stock in one conditional
    /// update: it applies only while the result stays at or above zero, so
    /// concurrent adjustments can never oversell (no read-then-write).
    pub async fn adjust_stock(&self, sku_id: &str, delta: i64) -> CatalogResult<Sku> {
        let mut tx = self.store.begin_write().await?;
        match store::add_stock(&mut tx, sku_id, delta, now_millis()).await? {
            Some(sku) => {
                // Only a change across zero changes what search indexes.
                let crossed = (sku.stock - delta > 0) != (sku.stock > 0);
                let marked = if crossed {
                    vec![sku.product_id.clone()]
                } else {
                    Vec::new()
                };
                self.commit_stock_changes(tx, marked, std::slice::from_ref(&sku.product_id))
                    .await?;
                Ok(sku)
            }
            None => Err(if store::sku_exists(&mut tx, sku_id).await? {
                CatalogError::InsufficientStock
            } else {
                CatalogError::not_found("SKU", "skuId")
            }),
        }
    }
}

/// The distinct products of some reserved lines.
fn product_ids(lines: &[ReservedLine]) -> Vec<String> {
    let mut ids: Vec<String> = lines.iter().map(|l| l.product_id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}
