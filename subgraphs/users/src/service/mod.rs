//! What the users service does, independent of GraphQL: accounts, sessions,
//! the address book and account administration, and the credentials they
//! hand out and check (`auth`: password hashes, access and refresh tokens);
//! the service [`error`] they return; the demo accounts ([`seed`]).

pub mod accounts;
pub mod address_book;
pub mod admin;
pub mod auth;
pub mod error;
pub mod login_throttle;
pub mod seed;
pub mod sessions;

use std::sync::Arc;

use platform::{auth::Revocations, db::Db};

use crate::metrics::Metrics;
use auth::tokens::TokenIssuer;
use login_throttle::LoginThrottle;

/// What every operation needs; cheap to clone, put into the schema data.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub tokens: Arc<TokenIssuer>,
    pub metrics: Arc<Metrics>,
    /// Where freezing an account revokes its access tokens.
    pub revocations: Arc<dyn Revocations>,
    /// Failed logins per account and client.
    pub login_throttle: Arc<LoginThrottle>,
}
