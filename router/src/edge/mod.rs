//! Protection at the edge: request and operation limits, rate limits.

pub mod auth;
pub mod limits;
pub mod rate_limit;
