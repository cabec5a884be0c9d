//! Protection at the edge: request and operation limits.

pub mod auth;
pub mod limits;
