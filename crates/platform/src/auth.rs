//! Access tokens: the claims every service reads, the Ed25519 signing key the
//! users service owns, and the verifier every other service (and the router)
//! uses against the users service's JWKS.

mod keys;
pub mod revocations;
mod verifier;

pub use keys::SigningKey;
pub use revocations::Revocations;
pub use verifier::{JwksSource, JwtVerifier};

use serde::{Deserialize, Serialize};

/// The issuer every ShopGraph access token names.
pub const ISSUER: &str = "shopgraph-users";

/// The scope an administrator's token carries.
pub const ADMIN_SCOPE: &str = "admin";

/// The claims of an access token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    /// Space-separated scopes, as in OAuth 2 (`customer`, `admin`).
    pub scope: String,
}

/// The verified caller of a request, put into the GraphQL request data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: String,
    pub scopes: Vec<String>,
}

impl Viewer {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    pub fn is_admin(&self) -> bool {
        self.has_scope(ADMIN_SCOPE)
    }
}

impl From<Claims> for Viewer {
    fn from(claims: Claims) -> Self {
        Self {
            user_id: claims.sub,
            scopes: claims.scope.split_whitespace().map(str::to_owned).collect(),
        }
    }
}

/// Why a presented token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token has been revoked")]
    Revoked,
    #[error("the access token is invalid")]
    Invalid,
    #[error("the token's signing key is unknown")]
    UnknownKey,
    #[error("the authorization header is malformed")]
    MalformedHeader,
}

/// The bearer token of an `Authorization` header value, if it has one.
pub fn bearer_token(header: Option<&str>) -> Result<Option<&str>, AuthError> {
    match header {
        None => Ok(None),
        Some(value) => {
            let (scheme, token) = value.split_once(' ').ok_or(AuthError::MalformedHeader)?;
            if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
                return Err(AuthError::MalformedHeader);
            }
            Ok(Some(token.trim()))
        }
    }
}
