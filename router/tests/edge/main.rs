//! Router edge tests over HTTP and WebSocket: tiered rate limits (in-process and Redis)
//! and reloading the supergraph and router.yaml without restart, in front
//! of a small shop subgraph of the test's own.

mod helpers;
mod shop;
// The WebSocket client the edge and federation tests share.
#[path = "../support/ws_client.rs"]
mod ws_client;

mod rate_limit;
mod redis_limits;
mod reload;
mod ws_limits;
