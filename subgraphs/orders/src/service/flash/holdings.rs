//! What the database says a sale's counters should be: its quantity less
//! the units that orders hold until their stock is released and that
//! unsettled tickets whose order is not stored yet hold, per buyer
//! likewise. Reconciliation compares the counters with it; a rebuild
//! writes it where the counters are missing.

use std::collections::{HashMap, HashSet};

use contracts::flash_sale::FlashSaleInfo;

use crate::{
    service::context::OrdersContext,
    store::{
        flash::{Counters, Ticket},
        orders,
    },
};

/// Order ids looked up in one query.
const LOOKUP_CHUNK: usize = 500;

/// Which of the tickets' orders are stored.
pub async fn stored_among(
    ctx: &OrdersContext,
    tickets: &HashMap<String, Ticket>,
) -> anyhow::Result<HashSet<String>> {
    let order_ids: Vec<String> = tickets.keys().cloned().collect();
    let mut stored = HashSet::new();
    for chunk in order_ids.chunks(LOOKUP_CHUNK) {
        for order in orders::find_many(ctx.db.pool(), chunk).await? {
            stored.insert(order.order_id);
        }
    }
    Ok(stored)
}

/// The counters `sale` should have, given its unsettled `tickets` and
/// which of their orders are `stored` (read before the orders here, so a
/// ticket stored in between counts twice, never not at all).
pub async fn expected(
    ctx: &OrdersContext,
    sale: &FlashSaleInfo,
    tickets: &HashMap<String, Ticket>,
    stored: &HashSet<String>,
) -> anyhow::Result<Counters> {
    let mut held: HashMap<String, i64> = HashMap::new();
    for (user_id, units) in orders::flash_sale_holdings(ctx.db.pool(), &sale.id).await? {
        *held.entry(user_id).or_default() += units;
    }
    // A ticket whose order is stored is counted by the order.
    for (order_id, ticket) in tickets {
        if !stored.contains(order_id) {
            *held.entry(ticket.user_id.clone()).or_default() += ticket.quantity;
        }
    }
    held.retain(|_, units| *units > 0);
    let taken: i64 = held.values().sum();
    Ok(Counters {
        remaining: (sale.quantity - taken).max(0),
        held,
        ..Counters::default()
    })
}
