//! End-to-end tests: the whole platform in one process (`shopgraph::stack`,
//! what `cargo run` starts), driven only through the router's port, over
//! HTTP and WebSocket.

mod helpers;
mod ws;

mod access;
mod account;
mod bad_input;
mod deployment;
mod depth;
mod money;
mod order_life_cycle;
mod rate_limits;
mod router_command;
mod router_surface;
mod saved_address;
mod storefront;
