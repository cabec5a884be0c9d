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
mod http_audit;
mod interface_object;
mod nested_key;
mod over_http;
mod plans;
mod queries;
mod resilience;
mod subscriptions;
