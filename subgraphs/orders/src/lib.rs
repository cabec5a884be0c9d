//! The orders subgraph.
