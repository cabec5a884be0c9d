//! The catalog subgraph.
