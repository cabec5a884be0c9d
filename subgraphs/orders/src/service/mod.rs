//! The use cases: the rules, the transactions and the events they announce.
//! Called by the entry points (`schema`, `internal`, `webhook`, the event
//! consumers); calls down into `store`, `events` (publishing), `clients`
//! and `domain`, never up.

pub mod cart;
pub mod checkout;
pub mod flash;
pub mod lifecycle;
pub mod payments;
pub mod stock;
pub mod sweeper;
