//! Router edge tests over HTTP and WebSocket: tiered rate limits (in-process and Redis)
//! and reloading the supergraph and router.yaml without restart, in front
//! of a small shop subgraph of the test's own.

mod helpers;
mod shop;

mod rate_limit;
mod redis_limits;
mod reload;
mod ws_limits;
