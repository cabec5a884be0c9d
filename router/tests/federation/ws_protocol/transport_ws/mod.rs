//! graphql-transport-ws: every close code of PROTOCOL.md with the reason
//! the reference server gives, ping/pong, and `complete` from the client.

mod connection;
mod operations;
