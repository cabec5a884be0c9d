//! The use cases: the rules, the transactions and the events they announce;
//! the service error ([`error`]) and the handles they share ([`context`]).
//! Called by the entry points (`schema`, with `schema::internal`, and the
//! event consumers, [`consumers`]); calls down into `store` (with
//! `store::clients`), `events` (publishing) and `domain`, never up.

pub mod cart;
pub mod checkout;
pub mod consumers;
pub mod context;
pub mod error;
pub mod flash;
pub mod lifecycle;
pub mod payments;
pub mod stock;
pub mod sweeper;
