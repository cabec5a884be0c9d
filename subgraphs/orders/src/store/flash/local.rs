//! In-process flash-sale counters for the embedded single-process platform.

use std::{collections::HashMap, sync::Mutex};

use async_trait::async_trait;
use platform::{db::now_millis, sync::lock};

use super::{Admission, Claim, Counters, FlashStock, Take, Ticket, TicketState};

/// Settled tickets are kept this long for buyers asking how their
/// checkout ended, like the Redis keys' expiry.
const SETTLED_TICKET_TTL_MILLIS: i64 = 24 * 3600 * 1000;
const PRUNE_EVERY_MILLIS: i64 = 60 * 1000;

#[derive(Default)]
pub struct LocalFlashStock {
    /// Every critical section leaves the maps consistent, so a poisoned
    /// lock is used as is (`platform::sync`).
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
    /// Ends the ticket of `order_id` with `outcome` if it is in one of the
    /// states `from`; a failed one gives its units back.
    fn end(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
        from: &[TicketState],
    ) -> bool {
        let mut state = lock(&self.state);
        let State { sales, tickets, .. } = &mut *state;
        let Some(ticket) = tickets
            .get_mut(order_id)
            .filter(|t| from.contains(&t.state) && t.sale_id == sale_id)
        else {
            return false;
        };
        ticket.state = outcome.clone();
        if let Some(sale) = sales.get_mut(sale_id) {
            sale.queued.remove(order_id);
            if matches!(outcome, TicketState::Failed { .. }) {
                give_back_units(sale, &ticket.user_id, ticket.quantity);
            }
            sale.version += 1;
        }
        true
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
        let mut state = lock(&self.state);
        let now = now_millis();
        match state.tickets.get(admission.order_id).map(|t| &t.state) {
            Some(TicketState::Queued | TicketState::Claimed | TicketState::Placed) => {
                return Ok(Take::AlreadyTaken);
            }
            Some(TicketState::Failed { .. }) | None => {}
        }
        let Some(sale) = state.sales.get_mut(admission.sale_id) else {
            return Ok(Take::NoCounters);
        };
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
                matches!(t.state, TicketState::Queued | TicketState::Claimed)
                    || now - t.queued_at < SETTLED_TICKET_TTL_MILLIS
            });
            state.pruned_at = now;
        }
        state.tickets.insert(admission.order_id.to_owned(), ticket);
        Ok(Take::Taken)
    }

    async fn restore(&self, sale_id: &str, counters: &Counters) -> anyhow::Result<bool> {
        let mut state = lock(&self.state);
        let std::collections::hash_map::Entry::Vacant(sale) = state.sales.entry(sale_id.to_owned())
        else {
            return Ok(false);
        };
        sale.insert(Counters {
            remaining: counters.remaining,
            held: counters.held.clone(),
            ..Counters::default()
        });
        Ok(true)
    }

    async fn claim(
        &self,
        sale_id: &str,
        order_id: &str,
        if_lost: &Ticket,
    ) -> anyhow::Result<Claim> {
        let mut state = lock(&self.state);
        let State { sales, tickets, .. } = &mut *state;
        if let Some(ticket) = tickets.get(order_id)
            && (ticket.sale_id != sale_id
                || matches!(
                    ticket.state,
                    TicketState::Placed | TicketState::Failed { .. }
                ))
        {
            return Ok(Claim::Settled);
        }
        // Only a ticket its sale's counters hold: one they do not hold is
        // not counted by them, and storing its order could oversell. Here
        // the tickets and the counters are lost together (a restart), so
        // no counters hold units for a ticket that is gone.
        let Some(queued) = sales
            .get_mut(sale_id)
            .and_then(|sale| sale.queued.get_mut(order_id))
        else {
            tickets.insert(order_id.to_owned(), if_lost.clone());
            return Ok(Claim::Lost);
        };
        queued.state = TicketState::Claimed;
        if let Some(ticket) = tickets.get_mut(order_id) {
            ticket.state = TicketState::Claimed;
        }
        Ok(Claim::Claimed)
    }

    async fn settle(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
    ) -> anyhow::Result<bool> {
        Ok(self.end(
            sale_id,
            order_id,
            outcome,
            &[TicketState::Queued, TicketState::Claimed],
        ))
    }

    async fn expire(
        &self,
        sale_id: &str,
        order_id: &str,
        failed: &TicketState,
    ) -> anyhow::Result<bool> {
        Ok(self.end(sale_id, order_id, failed, &[TicketState::Queued]))
    }

    async fn ticket(&self, order_id: &str) -> anyhow::Result<Option<Ticket>> {
        Ok(lock(&self.state).tickets.get(order_id).cloned())
    }

    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()> {
        if let Some(sale) = lock(&self.state).sales.get_mut(sale_id) {
            give_back_units(sale, user_id, quantity);
        }
        Ok(())
    }

    async fn sales(&self) -> anyhow::Result<Vec<String>> {
        Ok(lock(&self.state).sales.keys().cloned().collect())
    }

    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>> {
        Ok(lock(&self.state).sales.get(sale_id).cloned())
    }

    async fn unsettled(&self, sale_id: &str) -> anyhow::Result<HashMap<String, Ticket>> {
        // The tickets and the counters live and die together here.
        Ok(lock(&self.state)
            .sales
            .get(sale_id)
            .map(|sale| sale.queued.clone())
            .unwrap_or_default())
    }

    async fn reset(
        &self,
        sale_id: &str,
        seen_version: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool> {
        let mut state = lock(&self.state);
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
