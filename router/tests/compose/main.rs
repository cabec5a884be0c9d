//! Supergraph composition tests: fixture subgraph sets composed and checked against
//! Apollo's own output, apollo-compiler validation and the hive query planner; one test
//! per composition error kind; supergraph.yaml loading.

mod apollo_reference;
mod config;
mod differential;
mod errors;
mod helpers;
mod planning;
mod robustness;
mod satisfiability;
mod shopgraph;
