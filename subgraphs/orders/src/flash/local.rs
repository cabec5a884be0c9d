//! In-process flash-sale counters for the embedded single-process platform.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use async_trait::async_trait;
use platform::db::now_millis;

use super::{Admission, Counters, FlashStock, Take, Ticket, TicketState};

/// Settled tickets are kept this long for buyers asking how their
/// checkout ended, like the Redis keys' expiry.
const SETTLED_TICKET_TTL_MILLIS: i64 = 24 * 3600 * 1000;
const PRUNE_EVERY_MILLIS: i64 = 60 * 1000;

#[derive(Default)]
pub struct LocalFlashStock {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    sales: HashMap<String, Counters>,
    /// Every ticket by order id; queued ones also sit in their sale's
    /// `queued`.
    tickets: HashMap<String, Ticket>,
    /// When old settled tickets were last dropped (millis).
    pruned_at: i64,
}

impl LocalFlashStock {
    fn state(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the maps consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn give_back_units(sale: &mut Counters, user_id: &str, quantity: i64) {
    sale.remaining += quantity;
    if let Some(held) = sale.held.get_mut(user_id) {
        *held = (*held - quantity).max(0);
    }
    sale.version += 1;
}

#[async_trait]
impl FlashStock for LocalFlashStock {
    async fn take(&self, admission: &Admission<'_>) -> anyhow::Result<Take> {
        let mut state = self.state();
        let now = now_millis();
        match state.tickets.get(admission.order_id).map(|t| &t.state) {
            Some(TicketState::Queued | TicketState::Placed) => return Ok(Take::AlreadyTaken),
            Some(TicketState::Failed { .. }) | None => {}
        }
        let sale = state
            .sales
            .entry(admission.sale_id.to_owned())
            .or_insert_with(|| Counters {
                remaining: admission.initial,
                ..Counters::default()
            });
        let held = sale.held.get(admission.user_id).copied().unwrap_or(0);
        if held + admission.quantity > admission.per_user_limit {
            return Ok(Take::LimitReached);
        }
        if sale.remaining < admission.quantity {
            return Ok(Take::SoldOut);
        }
        sale.remaining -= admission.quantity;
        *sale.held.entry(admission.user_id.to_owned()).or_insert(0) += admission.quantity;
        sale.version += 1;
        let ticket = Ticket {
            sale_id: admission.sale_id.to_owned(),
            user_id: admission.user_id.to_owned(),
            quantity: admission.quantity,
            queued_at: now,
            state: TicketState::Queued,
        };
        sale.queued
            .insert(admission.order_id.to_owned(), ticket.clone());
        // Old settled tickets go at most once a minute, not on every take
        // under the lock the whole crowd waits on.
        if now - state.pruned_at >= PRUNE_EVERY_MILLIS {
            state.tickets.retain(|_, t| {
                t.state == TicketState::Queued || now - t.queued_at < SETTLED_TICKET_TTL_MILLIS
            });
            state.pruned_at = now;
        }
        state.tickets.insert(admission.order_id.to_owned(), ticket);
        Ok(Take::Taken)
    }

    async fn settle(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
    ) -> anyhow::Result<bool> {
        let mut state = self.state();
        let State { sales, tickets, .. } = &mut *state;
        let Some(ticket) = tickets
            .get_mut(order_id)
            .filter(|t| t.state == TicketState::Queued && t.sale_id == sale_id)
        else {
            return Ok(false);
        };
        ticket.state = outcome.clone();
        if let Some(sale) = sales.get_mut(sale_id) {
            sale.queued.remove(order_id);
            if matches!(outcome, TicketState::Failed { .. }) {
                give_back_units(sale, &ticket.user_id, ticket.quantity);
            }
            sale.version += 1;
        }
        Ok(true)
    }

    async fn ticket(&self, order_id: &str) -> anyhow::Result<Option<Ticket>> {
        Ok(self.state().tickets.get(order_id).cloned())
    }

    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()> {
        if let Some(sale) = self.state().sales.get_mut(sale_id) {
            give_back_units(sale, user_id, quantity);
        }
        Ok(())
    }

    async fn sales(&self) -> anyhow::Result<Vec<String>> {
        Ok(self.state().sales.keys().cloned().collect())
    }

    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>> {
        Ok(self.state().sales.get(sale_id).cloned())
    }

    async fn reset(
        &self,
        sale_id: &str,
        seen_version: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool> {
        let mut state = self.state();
        let Some(sale) = state
            .sales
            .get_mut(sale_id)
            .filter(|s| s.version == seen_version)
        else {
            return Ok(false);
        };
        sale.remaining = counters.remaining;
        sale.held = counters.held.clone();
        sale.version += 1;
        Ok(true)
    }
}
