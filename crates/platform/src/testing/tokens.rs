//! Access tokens for tests: signed with the key the service under test
//! trusts (`JwksSource::Static(key.jwks())`), as the users service would.

use crate::{
    auth::{Claims, ISSUER, SigningKey},
    db::now_millis,
};

/// How long a test token stays valid: long enough for any test.
const TOKEN_LIFETIME_SECS: i64 = 900;

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
