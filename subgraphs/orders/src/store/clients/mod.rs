//! Outbound adapters: the other parties the service calls, behind the types
//! `service` uses (the catalog's and the users service's internal HTTP
//! APIs, the payment provider). Sources of data like the database, so part
//! of `store`: they know their wire, not the rules, and import nothing from
//! `service` or `schema`.

pub mod catalog;
pub mod payments;
pub mod sale_cache;
pub mod users;
