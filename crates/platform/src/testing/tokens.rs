//! Access tokens for tests: signed with the key the service under test
//! trusts (`JwksSource::Static(key.jwks())`), as the users service would.

use crate::{
    auth::{Claims, ISSUER, JwksSource, SigningKey},
    db::now_millis,
};

/// How long a test token stays valid: long enough for any test.
const TOKEN_LIFETIME_SECS: i64 = 900;

/// The user id of [`TestTokens::admin`].
const ADMIN_ID: &str = "admin-1";

/// A token for `user_id` with the space-separated `scope`, signed by `key`.
pub fn sign_token(key: &SigningKey, user_id: &str, scope: &str) -> anyhow::Result<String> {
    let now = now_millis() / 1000;
    key.sign(&Claims {
        sub: user_id.to_owned(),
        iss: ISSUER.to_owned(),
        iat: now,
        exp: now + TOKEN_LIFETIME_SECS,
        scope: scope.to_owned(),
    })
}

/// Signs the tokens a test presents, with the key of the services it
/// started; a test app holds one, so every test crate signs the same way.
pub struct TestTokens {
    key: SigningKey,
}

impl TestTokens {
    pub fn new(key: SigningKey) -> Self {
        Self { key }
    }

    /// Tokens signed by a new key.
    pub fn generate() -> Self {
        Self::new(SigningKey::generate().expect("a signing key"))
    }

    /// The public keys a service verifies these tokens with.
    pub fn jwks(&self) -> JwksSource {
        JwksSource::Static(self.key.jwks())
    }

    /// A token for `user_id` with the space-separated `scope`.
    pub fn token(&self, user_id: &str, scope: &str) -> String {
        sign_token(&self.key, user_id, scope).expect("signing a test token works")
    }

    /// An administrator's token (who is a customer too).
    pub fn admin(&self) -> String {
        self.token(ADMIN_ID, "customer admin")
    }

    /// A customer's token for `user_id`.
    pub fn customer(&self, user_id: &str) -> String {
        self.token(user_id, "customer")
    }
}
