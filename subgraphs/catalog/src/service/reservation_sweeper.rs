//! The lease on stock reservations. A reservation is made for an order id
//! before the orders service stores the order; when the reserve reply is
//! lost, the orders process dies between reserving and storing, or the
//! release after a failed store fails too, nobody else ever gives that
//! stock back. So each round, the sweeper takes the reservations held for
//! longer than the grace period, asks the orders service which of their
//! orders exist and still hold their stock, and releases the others.
//!
//! It never releases on doubt: when the orders service does not answer,
//! the round releases nothing (and is counted). Several replicas may sweep
//! at once: each release is the store's conditional RESERVED → RELEASED
//! change, guarded by the hold's start time too, so a reservation is
//! released once, and one taken again since it was read is left to the
//! next round.

use std::time::Duration;

use platform::db::now_millis;

use super::Catalog;
use crate::{
    metrics::{SweepRound, Swept},
    store::clients::OrdersClient,
};

/// Reservations looked at per round, oldest first; the next round takes
/// the rest.
const BATCH: i64 = 200;

#[derive(Clone)]
pub struct ReservationSweeper {
    catalog: Catalog,
    orders: OrdersClient,
    grace: Duration,
}

impl ReservationSweeper {
    pub fn new(catalog: Catalog, orders: OrdersClient, grace: Duration) -> Self {
        Self {
            catalog,
            orders,
            grace,
        }
    }

    /// One round; returns how many reservations it released.
    pub async fn sweep_once(&self) -> anyhow::Result<usize> {
        let metrics = self.catalog.metrics();
        let before = now_millis() - self.grace.as_millis() as i64;
        let held = match self.catalog.held_before(before, BATCH).await {
            Ok(held) => held,
            Err(error) => {
                metrics.sweep_round(SweepRound::Failed);
                return Err(error.context("reading reservations past their lease"));
            }
        };
        if held.is_empty() {
            metrics.sweep_round(SweepRound::Done);
            return Ok(0);
        }
        let ids: Vec<String> = held.iter().map(|h| h.order_id.clone()).collect();
        let holding = match self.orders.holds_stock(&ids).await {
            Ok(holding) => holding,
            Err(error) => {
                metrics.sweep_round(SweepRound::OrdersUnreachable);
                return Err(error.context("the reservation sweeper released nothing"));
            }
        };
        let mut released = 0;
        for reservation in &held {
            if holding.get(&reservation.order_id) == Some(&true) {
                metrics.swept(Swept::Kept);
                continue;
            }
            match self.catalog.release_lapsed(reservation).await {
                Ok(true) => {
                    metrics.swept(Swept::Released);
                    released += 1;
                    tracing::info!(order_id = %reservation.order_id,
                        "released a reservation past its lease whose order holds no stock");
                }
                Ok(false) => metrics.swept(Swept::Gone),
                Err(error) => {
                    metrics.swept(Swept::Failed);
                    tracing::warn!(error.cause_chain = ?error, order_id = %reservation.order_id,
                        "releasing a reservation past its lease failed; the next round retries");
                }
            }
        }
        metrics.sweep_round(SweepRound::Done);
        Ok(released)
    }
}
