//! Every order-status event delivered once to each subscriber: what each
//! subscriber heard of an order, against the order's history as stored.
//!
//! A live subscription hears every transition once, in order: a repeat is
//! a duplicate, a skip a loss. A subscription that ended (the orders
//! process killed, the fan-out cut) cannot hear what happens until it is
//! opened again, and the new one's first message reports where the order
//! stands then: transitions in between are learned from it, not heard, and
//! that is the contract of a pub/sub subscription. By the end of the quiet
//! period every subscriber knows the order's final status.

use std::collections::BTreeMap;

use super::{Order, Violation};
use crate::subscribers::{Follow, Heard};

/// The statuses order `order` went through. The suite's orders are paid
/// (PENDING_PAYMENT → PAID) or cancelled unpaid (→ CANCELLED, by the buyer
/// or the timeout); a payment that comes after a cancellation is refunded
/// and leaves the order CANCELLED. So its row (status, and whether it was
/// ever paid) is its whole history.
fn history(order: &Order) -> Vec<&str> {
    let mut history = vec!["PENDING_PAYMENT"];
    if order.paid_at.is_some() {
        history.push("PAID");
    }
    if history.last() != Some(&order.status.as_str()) {
        history.push(&order.status);
    }
    history
}

/// What went wrong in `follow`, or `None`.
fn check_one(follow: &Follow, history: &[&str]) -> Option<Violation> {
    // Where the subscriber knows the order to be (an index in `history`).
    let mut known: Option<usize> = None;
    let problem = |safety: bool, what: String| Violation {
        safety,
        invariant: "every order-status event is delivered once to each subscriber",
        detail: format!(
            "order {}, {}: {what}; the order's history: {}\n{follow}",
            follow.order_id,
            follow.subscriber,
            history.join(" -> ")
        ),
        orders: vec![follow.order_id.clone()],
    };
    for received in &follow.log {
        let Heard::Status { status, previous } = &received.heard else {
            continue;
        };
        let Some(to) = history.iter().position(|s| s == status) else {
            return Some(problem(true, format!("heard {status}, never the order's")));
        };
        match previous {
            // A subscription's first message: where the order stands.
            None => {
                if known.is_some_and(|k| to < k) {
                    return Some(problem(
                        true,
                        format!("a first message went back to {status}"),
                    ));
                }
                known = Some(to);
            }
            Some(previous) => {
                if to == 0 || history[to - 1] != previous {
                    return Some(problem(
                        true,
                        format!("heard {previous} -> {status}, not a transition the order made"),
                    ));
                }
                match known {
                    Some(k) if to <= k => {
                        return Some(problem(
                            true,
                            format!(
                                "heard {previous} -> {status} when it knew the order {} already (a duplicate)",
                                history[k]
                            ),
                        ));
                    }
                    Some(k) if to > k + 1 => {
                        return Some(problem(
                            true,
                            format!(
                                "heard {previous} -> {status} after {}: the transitions between were lost",
                                history[k]
                            ),
                        ));
                    }
                    None => {
                        return Some(problem(
                            true,
                            format!("heard {previous} -> {status} before any first message"),
                        ));
                    }
                    Some(_) => known = Some(to),
                }
            }
        }
    }
    let last = history.len() - 1;
    if known != Some(last) {
        return Some(problem(
            false,
            format!(
                "it last knew the order {}, which is {}",
                known.map_or("(nothing heard)", |k| history[k]),
                history[last]
            ),
        ));
    }
    None
}

/// Each subscriber of each followed order heard every transition it was
/// subscribed for once, and knows the final status.
pub fn delivered_once(
    orders: &BTreeMap<String, Order>,
    follows: &[Follow],
    violations: &mut Vec<Violation>,
) {
    for follow in follows {
        let Some(order) = orders.get(&follow.order_id) else {
            // An acknowledged order that is gone has its own invariant.
            continue;
        };
        violations.extend(check_one(follow, &history(order)));
    }
}
