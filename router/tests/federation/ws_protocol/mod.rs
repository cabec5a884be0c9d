//! The WebSocket protocols to the letter: graphql-transport-ws as
//! enisdenjo/graphql-ws PROTOCOL.md (and its reference server) defines it,
//! and the legacy graphql-ws of apollographql/subscriptions-transport-ws,
//! each rule with its hostile variants, over a raw socket that sees every
//! message and close frame.

mod legacy;
mod limits;
mod live;
mod reference_clients;
mod socket;
mod transport_ws;

use platform::auth::{JwksSource, SigningKey};
use router::{RouterConfig, Settings, config::WebSocketConfig};

use crate::helpers::{SUPERGRAPH, TestRouter, TestSubgraphs};

/// `Authorization` values a router that verifies tokens refuses.
const REFUSED_TOKENS: [&str; 2] = ["Bearer not-a-jwt", "Basic dXNlcg=="];

/// The default configuration with `websocket` replaced.
fn with_websocket(websocket: WebSocketConfig) -> RouterConfig {
    RouterConfig {
        websocket,
        ..RouterConfig::default()
    }
}

/// The test subgraphs behind a router with `config` that verifies tokens
/// (signed by a key of its own, which no test signs with).
async fn verifying_router(config: RouterConfig) -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let key = SigningKey::generate().expect("key");
    let mut settings = Settings::new(SUPERGRAPH);
    settings.subgraph_url_overrides = subgraphs.urls();
    settings.jwks = Some(JwksSource::Static(key.jwks()));
    settings.config = config;
    let router = TestRouter::start(settings).await;
    (subgraphs, router)
}
