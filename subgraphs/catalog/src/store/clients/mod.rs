//! Outbound HTTP, a source of data beside the database: the orders
//! service's internal API (which orders hold stock). Wire only, no rules.

pub mod orders;

pub use orders::OrdersClient;
