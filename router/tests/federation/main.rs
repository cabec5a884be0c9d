//! Router end-to-end tests: the test's own federated subgraphs behind the
//! router, everything over HTTP.

mod helpers;
mod subgraphs;

mod auth;
mod batching;
mod composed;
mod dedupe;
mod errors;
mod http;
mod inputs_subgraph;
mod interface_object;
mod introspection;
mod limits;
mod nested_key;
mod plans;
mod queries;
mod resilience;
mod subscriptions;
mod validation;
