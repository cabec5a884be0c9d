//! Flash-sale stock counters: a counter per sale that admits buyers before
//! any database or catalog work. The check and the decrement (with the
//! per-buyer limit) are one atomic step: a Redis Lua script in production
//! ([`RedisFlashStock`]), a mutex in-process embedded ([`LocalFlashStock`]).
//! The rules around them (admission, placement, rebuild, reconciliation)
//! are `service::flash`'s; these stores only keep the counters and tickets.

mod local;
mod redis_stock;

use std::collections::HashMap;

use async_trait::async_trait;

pub use local::LocalFlashStock;
pub use redis_stock::RedisFlashStock;

/// The outcome of trying to take units of a flash sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    Taken,
    /// This order already holds its units (a repeat of one checkout).
    AlreadyTaken,
    SoldOut,
    /// The buyer would exceed the sale's per-buyer limit.
    LimitReached,
    /// The sale has no counters: rebuild them from the database first
    /// (`service::flash::rebuild`).
    NoCounters,
}

/// One sale's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub remaining: i64,
    /// Units held per buyer (by stored orders and by queued tickets).
    pub held: HashMap<String, i64>,
    /// Goes up with every change: reconciliation writes only if nothing
    /// changed the counters since it read them.
    pub version: i64,
    /// The unsettled tickets (queued or claimed): admitted checkouts whose
    /// order is not stored yet, by order id. They hold their units.
    pub queued: HashMap<String, Ticket>,
}

/// Where an admitted flash-sale checkout stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TicketState {
    /// Waiting to be stored.
    Queued,
    /// A placement is storing it: reconciliation no longer expires it.
    Claimed,
    /// The order is stored.
    Placed,
    /// It could not be stored; its units went back to the sale.
    Failed { code: String, message: String },
}

/// What claiming a ticket for storing its order found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Claimed now (or again, by a redelivered placement): store the order.
    Claimed,
    /// Settled already (placed, or failed and its buyer told): nothing to do.
    Settled,
    /// Its sale's counters do not hold it (they were lost, and rebuilt
    /// without it): storing its order could oversell, so it has been ended
    /// as failed, holding no units, for its buyer to hear.
    Lost,
}

/// An admitted checkout, named by the id its order gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub sale_id: String,
    pub user_id: String,
    pub quantity: i64,
    /// When it was admitted (millis).
    pub queued_at: i64,
    pub state: TicketState,
}

#[async_trait]
pub trait FlashStock: Send + Sync {
    /// Takes `quantity` units for order `order_id` of `user_id` if the sale
    /// has them and the buyer stays within `per_user_limit`, and queues the
    /// order's ticket. A sale without counters takes nothing
    /// ([`Take::NoCounters`]): starting it at its full quantity would sell
    /// again what stored orders hold. An order whose ticket is queued,
    /// claimed or placed takes nothing again; a failed one tries afresh.
    /// `Err` means the counter is unreachable.
    async fn take(&self, admission: &Admission<'_>) -> anyhow::Result<Take>;

    /// Sets a sale's `remaining` and `held` to `counters` if it has no
    /// counters; true when it wrote. Of replicas racing to rebuild one
    /// sale the first writes and the others leave its counters alone, as
    /// buyers may already have taken units from them.
    async fn restore(&self, sale_id: &str, counters: &Counters) -> anyhow::Result<bool>;

    /// Claims the ticket of `order_id` for storing its order, atomically:
    /// a queued ticket its sale's counters hold becomes claimed, and from
    /// then on [`FlashStock::expire`] leaves it alone, so an order is never
    /// both stored and expired (a redelivered placement claims its own
    /// claim again). A ticket the counters do not hold (lost with them) is
    /// replaced by `if_lost`, a failed ticket, in the same step: the buyer
    /// then reads the failure, and may check out afresh. Units the counters
    /// still hold for it (its ticket alone was lost) go back to the sale.
    async fn claim(&self, sale_id: &str, order_id: &str, if_lost: &Ticket)
    -> anyhow::Result<Claim>;

    /// Ends the queued or claimed ticket of `order_id` (placed, or failed:
    /// then its units go back to the sale). False when it was neither.
    async fn settle(
        &self,
        sale_id: &str,
        order_id: &str,
        outcome: &TicketState,
    ) -> anyhow::Result<bool>;

    /// Ends the ticket of `order_id` as `failed`, giving its units back,
    /// only while it is queued: a claimed one is being stored. False when
    /// it was not queued.
    async fn expire(
        &self,
        sale_id: &str,
        order_id: &str,
        failed: &TicketState,
    ) -> anyhow::Result<bool>;

    /// The ticket of `order_id`, while the counters keep it.
    async fn ticket(&self, order_id: &str) -> anyhow::Result<Option<Ticket>>;

    /// Gives a stored order's units back (it was cancelled or refunded).
    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()>;

    /// The sales that have counters.
    async fn sales(&self) -> anyhow::Result<Vec<String>>;

    /// The sale's counters, or `None` when it has none.
    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>>;

    /// The sale's unsettled tickets, whether or not it has counters (a
    /// store may lose the counters and keep the tickets).
    async fn unsettled(&self, sale_id: &str) -> anyhow::Result<HashMap<String, Ticket>>;

    /// Overwrites `remaining` and `held` with what reconciliation computed,
    /// unless the counters changed since reconciliation read them (their
    /// `version` is no longer `seen_version`); true when it wrote.
    async fn reset(
        &self,
        sale_id: &str,
        seen_version: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool>;
}

/// One checkout asking a flash sale for units.
pub struct Admission<'a> {
    pub sale_id: &'a str,
    pub order_id: &'a str,
    pub user_id: &'a str,
    pub quantity: i64,
    pub per_user_limit: i64,
}

#[cfg(test)]
mod claim_tests;
