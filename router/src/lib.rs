//! The ShopGraph router: plans client operations over a federated
//! supergraph, executes the plans against the subgraphs and serves clients.
//!
//! Layout (STYLE.md §3): `plan/` (operation → plan, pure), `execute/` (plan
//! → response through a `SubgraphClient`), `edge/` (limits), `serve/`
//! (axum app, pipeline, per-supergraph runtime).

pub mod compose;
pub mod config;
pub mod edge;
pub mod execute;
pub mod metrics;
pub mod plan;
pub mod response;
pub mod serve;
pub mod supergraph;

pub use config::{RouterConfig, RouterFiles, Settings};
pub use serve::App;
