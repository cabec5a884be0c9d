//! The Redis key layout of the flash-sale counters and the encoding of a
//! ticket in it (see the module header of `redis_stock`).

use std::collections::HashMap;

use crate::store::flash::{Ticket, TicketState};

/// remaining, held, version, queued.
pub(super) fn sale_keys(sale_id: &str) -> [String; 4] {
    [
        format!("flash:{sale_id}:remaining"),
        format!("flash:{sale_id}:held"),
        format!("flash:{sale_id}:version"),
        format!("flash:{sale_id}:queued"),
    ]
}

pub(super) fn ticket_key(order_id: &str) -> String {
    format!("flash:ticket:{order_id}")
}

/// The KEYS a script on a sale's counters starts with: remaining, held,
/// version.
pub(super) fn counter_keys(sale_id: &str) -> [String; 3] {
    let [remaining, held, version, _] = sale_keys(sale_id);
    [remaining, held, version]
}

/// The KEYS of a script on one order's ticket: the sale's counters, its
/// queued hash, then the ticket's hash.
pub(super) fn ticket_keys(sale_id: &str, order_id: &str) -> [String; 5] {
    let [remaining, held, version, queued] = sale_keys(sale_id);
    [remaining, held, version, queued, ticket_key(order_id)]
}

pub(super) fn state_name(state: &TicketState) -> (&'static str, &str, &str) {
    match state {
        TicketState::Queued => ("QUEUED", "", ""),
        TicketState::Claimed => ("CLAIMED", "", ""),
        TicketState::Placed => ("PLACED", "", ""),
        TicketState::Failed { code, message } => ("FAILED", code, message),
    }
}

/// A `queued` entry (`units:queued_at:buyer`) of sale `sale_id`. A claimed
/// ticket keeps its entry (it holds its units until settled) and reads as
/// queued here; its own hash tells the two apart.
pub(super) fn queued_ticket(sale_id: &str, entry: &str) -> Option<Ticket> {
    let mut parts = entry.splitn(3, ':');
    let quantity = parts.next()?.parse().ok()?;
    let queued_at = parts.next()?.parse().ok()?;
    Some(Ticket {
        sale_id: sale_id.to_owned(),
        user_id: parts.next()?.to_owned(),
        quantity,
        queued_at,
        state: TicketState::Queued,
    })
}

/// The `queued` hash of sale `sale_id`, read.
pub(super) fn queued_tickets(
    sale_id: &str,
    entries: HashMap<String, String>,
) -> HashMap<String, Ticket> {
    entries
        .into_iter()
        .filter_map(|(order_id, entry)| Some((order_id, queued_ticket(sale_id, &entry)?)))
        .collect()
}

pub(super) fn ticket_from_hash(fields: &HashMap<String, String>) -> Option<Ticket> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let state = match fields.get("state")?.as_str() {
        "QUEUED" => TicketState::Queued,
        "CLAIMED" => TicketState::Claimed,
        "PLACED" => TicketState::Placed,
        "FAILED" => TicketState::Failed {
            code: field("code"),
            message: field("message"),
        },
        _ => return None,
    };
    Some(Ticket {
        sale_id: fields.get("sale")?.clone(),
        user_id: fields.get("user")?.clone(),
        quantity: fields.get("qty")?.parse().ok()?,
        queued_at: fields.get("at")?.parse().ok()?,
        state,
    })
}
