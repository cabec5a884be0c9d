//! What every ShopGraph service shares: configuration helpers, telemetry,
//! database pools and migrations, JWT keys and verification, the cache,
//! GraphQL conventions (error codes, `Money`, payload errors, Relay
//! cursors), the operation limits every service agrees on, the tasks
//! beside the API and their periodic loop, poison-tolerant locks for
//! in-process state, serving, and the binaries' allocator.

#[cfg(feature = "mimalloc")]
pub mod allocator;
pub mod attempts;
pub mod auth;
pub mod background;
pub mod cache;
pub mod config;
pub mod cursor;
pub mod db;
pub mod events;
pub mod fanout;
pub mod federation;
pub mod gql;
pub mod graphql_http;
pub mod input;
pub mod internal;
pub mod limits;
pub mod metrics;
pub mod periodic;
pub mod redis_conn;
pub mod server;
pub mod sync;
pub mod telemetry;
pub mod testing;
