//! Access tokens (EdDSA JWTs) and refresh tokens (opaque random strings
//! of which only the SHA-256 is stored).

use std::{sync::Arc, time::Duration};

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use platform::auth::{Claims, ISSUER, SigningKey};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::Role;

/// Issues the tokens of a session.
pub struct TokenIssuer {
    key: Arc<SigningKey>,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

/// A signed access token and its lifetime in seconds.
pub struct AccessToken {
    pub token: String,
    pub expires_in: i64,
}

impl TokenIssuer {
    pub fn new(key: Arc<SigningKey>, access_ttl: Duration, refresh_ttl: Duration) -> Self {
        Self {
            key,
            access_ttl,
            refresh_ttl,
        }
    }

    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// How long a refresh token lives, in milliseconds.
    /// How long an access token lives.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    pub fn refresh_ttl_millis(&self) -> i64 {
        i64::try_from(self.refresh_ttl.as_millis()).unwrap_or(i64::MAX)
    }

    /// An access token for `user_id` carrying the scopes of `role`.
    pub fn access_token(&self, user_id: &str, role: Role) -> anyhow::Result<AccessToken> {
        let now = platform::db::now_millis() / 1000;
        let expires_in = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            sub: user_id.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now.saturating_add(expires_in),
            scope: role.scopes().to_owned(),
        };
        Ok(AccessToken {
            token: self.key.sign(&claims)?,
            expires_in,
        })
    }
}

/// A new refresh token: 256 random bits, URL-safe.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a refresh token. A plain hash is enough: the
/// token is random, so there is nothing to guess from its hash.
pub fn refresh_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_random_and_hashed_stably() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(refresh_token_hash(&a), refresh_token_hash(&a));
        assert_ne!(refresh_token_hash(&a), refresh_token_hash(&b));
        assert_eq!(refresh_token_hash(&a).len(), 64);
    }
}
