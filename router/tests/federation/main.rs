//! Router end-to-end tests: the test's own federated subgraphs behind the
//! router, everything over HTTP.

mod guarded_subgraph;
mod helpers;
mod inputs_subgraph;
mod scenario;
mod scripted;
mod subgraphs;
// The WebSocket client the edge and federation tests share.
#[path = "../support/ws_client.rs"]
mod ws_client;

mod abstract_types;
mod auth;
mod auth_fragments;
mod batching;
mod circular_interface;
mod composed;
mod dedupe;
mod error_paths;
mod errors;
mod hostile_replies;
mod http;
mod http_audit;
mod inaccessible;
mod interface_object;
mod interface_object_reference;
mod interface_object_requires;
mod introspection;
mod key_bridging;
mod limits;
mod mutations;
mod nested_key;
mod over_http;
mod plans;
mod policy;
mod provides;
mod queries;
mod requires_arguments;
mod requires_chain;
mod requires_fragments;
mod resilience;
mod subscriptions;
mod type_mismatch;
mod validation;
mod ws_protocol;
