//! The search subgraph.
