//! Flash-sale stock: a counter per sale that admits buyers before any
//! database or catalog work, so a crowd racing for a few units turns into
//! that many checkouts. The check and the decrement (with the per-buyer
//! limit) are one atomic step: a Redis Lua script in production, a mutex
//! in-process embedded. Reconciliation repairs drift from the database.

mod local;
pub mod reconcile;
mod redis_stock;
mod sale_cache;

use std::collections::HashMap;

use async_trait::async_trait;

pub use local::LocalFlashStock;
pub use redis_stock::RedisFlashStock;
pub use sale_cache::SaleCache;

/// The outcome of trying to take units of a flash sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    Taken,
    SoldOut,
    /// The buyer would exceed the sale's per-buyer limit.
    LimitReached,
}

/// One sale's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub remaining: i64,
    /// Units held per buyer.
    pub held: HashMap<String, i64>,
    /// When a buyer last took or gave back units (millis), to keep
    /// reconciliation away from checkouts in flight.
    pub touched_at: i64,
}

#[async_trait]
pub trait FlashStock: Send + Sync {
    /// Takes `quantity` units for `user_id` if the sale has them and the
    /// buyer stays within `per_user_limit`. A sale seen for the first time
    /// starts at `initial` units. `Err` means the counter is unreachable.
    async fn take(
        &self,
        sale_id: &str,
        user_id: &str,
        quantity: i64,
        per_user_limit: i64,
        initial: i64,
    ) -> anyhow::Result<Take>;

    /// Gives units back (a checkout that failed after taking them).
    async fn give_back(&self, sale_id: &str, user_id: &str, quantity: i64) -> anyhow::Result<()>;

    /// The sale's counters, or `None` when no buyer has touched it.
    async fn counters(&self, sale_id: &str) -> anyhow::Result<Option<Counters>>;

    /// Overwrites the counters with what reconciliation computed, unless a
    /// buyer touched the sale since reconciliation read them (its
    /// `touched_at` is no longer `seen_touched_at`); true when it wrote.
    async fn reset(
        &self,
        sale_id: &str,
        seen_touched_at: i64,
        counters: &Counters,
    ) -> anyhow::Result<bool>;
}
