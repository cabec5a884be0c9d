//! Protection at the edge: request and operation limits.

pub mod limits;
