//! What must hold once the shop is quiet, read from the services' own
//! databases (directly, not through the proxies), and checked against the
//! buyers' histories. Each violation names the SKU or order and carries the
//! histories of the buyers whose orders explain it.

mod delivery;
mod state;

use std::collections::BTreeMap;

use crate::{buyers::History, shop::Shop, subscribers::Follow};
pub use state::stock_in_database;
use state::{Order, State, read};

/// Order states whose units are still out of stock.
fn holds_stock(status: &str) -> bool {
    !matches!(status, "CANCELLED" | "REFUNDED")
}

/// States an order reaches only by being paid.
fn is_paid(status: &str) -> bool {
    matches!(
        status,
        "PAID" | "SHIPPED" | "DELIVERED" | "COMPLETED" | "REFUND_REQUESTED"
    )
}

pub struct Violation {
    /// A safety violation (oversold, paid twice, an acknowledged order
    /// gone) can never be repaired by waiting, so it fails the run at once;
    /// the others (stock not yet back, outbox not yet drained) must be
    /// gone by the end of the quiet period.
    pub safety: bool,
    pub invariant: &'static str,
    pub detail: String,
    /// Order ids whose buyers' histories explain it.
    pub orders: Vec<String>,
}

/// Every invariant, checked once; `follows`: what the subscribers heard.
pub async fn check(shop: &Shop, histories: &[History], follows: &[Follow]) -> Vec<Violation> {
    let state = match read(shop).await {
        Ok(state) => state,
        Err(e) => {
            return vec![Violation {
                safety: false,
                invariant: "the databases can be read",
                detail: format!("{e:#}"),
                orders: Vec::new(),
            }];
        }
    };
    let mut violations = Vec::new();
    conservation(shop, &state, &mut violations);
    reservations_have_orders(&state, &mut violations);
    paid_exactly_once(&state, &mut violations);
    flash_sale_within_quantity(&state, &mut violations);
    timeouts_happened(&state, &mut violations);
    acknowledged_orders_stored(&state, histories, &mut violations);
    delivery::delivered_once(&state.orders, follows, &mut violations);
    for (service, unpublished) in [
        ("catalog", &state.catalog_outbox),
        ("orders", &state.orders_outbox),
    ] {
        if !unpublished.is_empty() {
            let rows: Vec<String> = unpublished
                .iter()
                .take(10)
                .map(|(topic, attempts, next, lease)| {
                    format!("{topic} (attempts {attempts}, next in {next} ms, lease {lease} ms)")
                })
                .collect();
            violations.push(Violation {
                safety: false,
                invariant: "the outbox drained",
                detail: format!(
                    "{service}'s outbox still holds {} unpublished events: {}",
                    unpublished.len(),
                    rows.join("; ")
                ),
                orders: Vec::new(),
            });
        }
    }
    violations
}

/// Initial stock = stock + units of live orders, per SKU.
fn conservation(shop: &Shop, state: &State, violations: &mut Vec<Violation>) {
    for sku in &shop.skus {
        let stock = state.stock.get(&sku.id).copied().unwrap_or(-1);
        let mut live = 0;
        // Orders whose reservation disagrees with their state explain a gap.
        let mut suspects = Vec::new();
        for (id, order) in &state.orders {
            let units: i64 = order
                .items
                .iter()
                .filter(|(s, _)| *s == sku.id)
                .map(|(_, q)| q)
                .sum();
            if units == 0 {
                continue;
            }
            let reservation = state.reservations.get(id).map(String::as_str);
            if holds_stock(&order.status) {
                live += units;
                if reservation != Some("RESERVED") {
                    suspects.push(id.clone());
                }
            } else if reservation == Some("RESERVED") {
                suspects.push(id.clone());
            }
        }
        if stock + live != sku.initial_stock {
            violations.push(Violation {
                safety: stock + live > sku.initial_stock,
                invariant: "stock is conserved (initial = stock + units of live orders)",
                detail: format!(
                    "SKU {}: initial {} but stock {stock} + live units {live} = {} ({}); \
                     orders whose reservation disagrees with their state: {suspects:?}",
                    sku.id,
                    sku.initial_stock,
                    stock + live,
                    if stock + live > sku.initial_stock {
                        "oversold"
                    } else {
                        "stock lost"
                    },
                ),
                orders: suspects,
            });
        }
    }
}

fn reservations_have_orders(state: &State, violations: &mut Vec<Violation>) {
    for (order_id, reservation) in &state.reservations {
        if reservation == "RESERVED" && !state.orders.contains_key(order_id) {
            violations.push(Violation {
                safety: false,
                invariant: "no RESERVED reservation without a stored order",
                detail: format!("reservation {order_id} holds stock for an order never stored"),
                orders: vec![order_id.clone()],
            });
        }
    }
}

fn paid_exactly_once(state: &State, violations: &mut Vec<Violation>) {
    for (id, order) in &state.orders {
        let succeeded = state
            .payments
            .get(id)
            .map_or(0, |p| p.iter().filter(|s| *s == "SUCCEEDED").count());
        let problem = match (is_paid(&order.status), succeeded) {
            (true, 1) | (false, 0) => continue,
            (true, n) => format!("order {id} is {} with {n} succeeded payments", order.status),
            (false, n) => format!(
                "order {id} is {} but {n} payment(s) of it succeeded (money taken, no order)",
                order.status
            ),
        };
        // A refund gives the money back: a refunded order was paid once.
        if order.status == "REFUNDED" && succeeded == 1 {
            continue;
        }
        violations.push(Violation {
            safety: succeeded > 1 || (is_paid(&order.status) && succeeded == 0),
            invariant: "every paid order is paid exactly once",
            detail: problem,
            orders: vec![id.clone()],
        });
    }
}

fn flash_sale_within_quantity(state: &State, violations: &mut Vec<Violation>) {
    for (sale, (quantity, per_user)) in &state.flash_sales {
        let mut sold = 0;
        let mut by_user: BTreeMap<&str, (i64, Vec<String>)> = BTreeMap::new();
        for (id, order) in &state.orders {
            if order.flash_sale_id.as_deref() != Some(sale.as_str()) || !holds_stock(&order.status)
            {
                continue;
            }
            let units: i64 = order.items.iter().map(|(_, q)| q).sum();
            sold += units;
            let entry = by_user.entry(order.user_id.as_str()).or_default();
            entry.0 += units;
            entry.1.push(id.clone());
        }
        if sold > *quantity {
            violations.push(Violation {
                safety: true,
                invariant: "the flash sale sold at most its quantity",
                detail: format!("flash sale {sale}: {sold} units sold of {quantity}"),
                orders: by_user.values().flat_map(|(_, ids)| ids.clone()).collect(),
            });
        }
        for (user, (units, ids)) in by_user {
            if units > *per_user {
                violations.push(Violation {
                    safety: true,
                    invariant: "the flash sale sold at most its per-user limit",
                    detail: format!("flash sale {sale}: {user} bought {units} (limit {per_user})"),
                    orders: ids,
                });
            }
        }
    }
}

fn timeouts_happened(state: &State, violations: &mut Vec<Violation>) {
    for (id, order) in &state.orders {
        if order.status == "PENDING_PAYMENT" {
            violations.push(Violation {
                safety: false,
                invariant: "an unpaid order is cancelled by its timeout",
                detail: format!("order {id} is still PENDING_PAYMENT after the quiet period"),
                orders: vec![id.clone()],
            });
        }
    }
}

/// An order the service told its buyer was stored (`placeOrder` answered
/// with the order, or `orderPlacement` PLACED) is stored: a kill or a cut
/// loses no acknowledged write. A QUEUED flash-sale placement is a promise
/// only as durable as the broker's queue (in-process, it dies with a
/// killed process, and the buyer places again with the same key), so it
/// is not counted here.
fn acknowledged_orders_stored(
    state: &State,
    histories: &[History],
    violations: &mut Vec<Violation>,
) {
    for history in histories {
        let stored_answer = history.steps.iter().any(|s| {
            (s.op == "placeOrder"
                && s.outcome.starts_with("ok")
                && !s.outcome.contains("\"order\":null"))
                || (s.op == "orderPlacement" && s.outcome.starts_with("PLACED"))
        });
        let Some(id) = history.order_id.as_deref() else {
            continue;
        };
        if stored_answer && !state.orders.contains_key(id) {
            violations.push(Violation {
                safety: true,
                invariant: "an acknowledged order is stored",
                detail: format!(
                    "order {id} was acknowledged as stored but is not in the orders database"
                ),
                orders: vec![id.to_owned()],
            });
        }
    }
}

/// The violations with the histories that led to them.
pub fn report(violations: &[Violation], histories: &[History]) -> String {
    let mut text = String::new();
    for violation in violations {
        text.push_str(&format!(
            "VIOLATION {}: {}\n",
            violation.invariant, violation.detail
        ));
        // The most eventful histories first: retries and faults explain more.
        let mut found: Vec<&History> = violation
            .orders
            .iter()
            .filter_map(|id| histories.iter().find(|h| h.order_id.as_deref() == Some(id)))
            .collect();
        found.sort_by_key(|h| std::cmp::Reverse(h.steps.len()));
        for history in found.iter().take(5) {
            text.push_str(&history.to_string());
        }
        for id in &violation.orders {
            if !histories.iter().any(|h| h.order_id.as_deref() == Some(id)) {
                text.push_str(&format!("  order {id}: no buyer of this run placed it\n"));
            }
        }
    }
    text
}
