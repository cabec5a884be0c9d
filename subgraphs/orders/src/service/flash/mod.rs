//! Flash sales: a counter per sale (`store::flash`) admits buyers before any
//! database or catalog work, so a crowd racing for a few units turns into
//! that many checkouts. An admitted checkout holds a ticket (its order id)
//! until the order is stored asynchronously ([`placement`]) or fails;
//! reconciliation repairs drift from the database ([`reconcile`]). A sale
//! without counters (never bought from, or the store lost them) is counted
//! from the database before anyone is admitted ([`rebuild`]).

mod holdings;
pub mod placement;
pub mod rebuild;
pub mod reconcile;
