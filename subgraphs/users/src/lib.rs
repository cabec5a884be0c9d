//! The users subgraph.
