//! The users subgraph: accounts, sessions (JWT access tokens, rotating
//! refresh tokens), address books, roles, and the JWKS every other service
//! verifies access tokens against.
//!
//! The shape every subgraph has (DESIGN.md, "Layout"), dependencies
//! pointing down: `schema` (GraphQL, and `schema::internal`, the internal
//! HTTP API for the orders service) calls `service` (the use cases, the
//! service error, the demo accounts), which uses `store` (SQL and
//! DataLoaders); all of them use `domain`. The users service publishes and
//! consumes no events.

mod domain;
mod metrics;
mod schema;
mod service;
mod settings;
mod startup;
mod store;

pub use schema::{UsersSchema, sdl};
pub use service::seed::{
    DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_CUSTOMER_EMAIL, DEMO_CUSTOMER_PASSWORD, seed_demo,
};
pub use settings::{LoginThrottleSettings, Settings};
pub use startup::{App, MIGRATIONS};
