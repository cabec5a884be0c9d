//! The users subgraph: accounts, sessions (JWT access tokens, rotating
//! refresh tokens), address books, roles, and the JWKS every other service
//! verifies access tokens against.

mod domain;
mod error;
mod internal;
mod metrics;
mod schema;
mod seed;
mod service;
mod settings;
mod startup;
mod store;

pub use schema::{UsersSchema, sdl};
pub use seed::{
    DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_CUSTOMER_EMAIL, DEMO_CUSTOMER_PASSWORD, seed_demo,
};
pub use settings::{LoginThrottleSettings, Settings};
pub use startup::{App, MIGRATIONS};
