//! Verifies access tokens against a JWKS: fetched from the users service
//! (and fetched again when a token names a key id not seen yet, so a key
//! rotation or a users service that started later is picked up), or given.

use std::{
    collections::HashMap,
    sync::{Arc, Weak},
    time::{Duration, Instant},
};

use jsonwebtoken::{DecodingKey, Validation, errors::ErrorKind, jwk::JwkSet};
use tokio::sync::RwLock;

use super::{AuthError, Claims, ISSUER, Revocations, Viewer, revocations};
use crate::{config::env_opt, telemetry::Throttle};

/// Where the public keys come from.
#[derive(Clone, Debug)]
pub enum JwksSource {
    /// `GET` this URL (the users service's `/.well-known/jwks.json`).
    Url(String),
    /// A JWKS document known in-process.
    Static(serde_json::Value),
}

impl JwksSource {
    /// `JWKS_URL`, default the users service's JWKS on its default port.
    pub fn from_env() -> Self {
        Self::Url(
            env_opt("JWKS_URL")
                .unwrap_or_else(|| "http://127.0.0.1:4001/.well-known/jwks.json".into()),
        )
    }
}

/// The shortest time between two fetches of a remote JWKS, so a flood of
/// tokens with made-up key ids cannot turn into a flood of fetches.
const REFETCH_INTERVAL: Duration = Duration::from_secs(5);

/// One warning about an unreachable revocation list per interval, not one
/// per request.
static REVOCATION_WARNING: Throttle = Throttle::new(Duration::from_secs(10));

/// How often a remote JWKS is fetched again regardless of demand.
const BACKGROUND_REFRESH: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct JwtVerifier {
    inner: Arc<Inner>,
    revocations: Option<Arc<dyn Revocations>>,
}

struct Inner {
    source: JwksSource,
    http: reqwest::Client,
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

impl JwtVerifier {
    /// A verifier for `source`; a remote JWKS is also fetched again every
    /// minute in the background.
    pub fn new(source: JwksSource) -> Self {
        Self::with_refresh_interval(source, BACKGROUND_REFRESH)
    }

    /// A verifier whose remote JWKS is fetched again every `every`, so a key
    /// the users service no longer publishes stops being trusted even while
    /// tokens keep naming it. The refresh task ends with the last clone.
    pub fn with_refresh_interval(source: JwksSource, every: Duration) -> Self {
        let refresh = matches!(source, JwksSource::Url(_));
        let verifier = Self {
            revocations: None,
            inner: Arc::new(Inner {
                source,
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(5))
                    .build()
                    .expect("a reqwest client with a timeout builds"),
                state: RwLock::new(State::default()),
            }),
        };
        if let (true, Ok(runtime)) = (refresh, tokio::runtime::Handle::try_current()) {
            runtime.spawn(refresh_periodically(Arc::downgrade(&verifier.inner), every));
        }
        verifier
    }

    /// Also refuses tokens that `revocations` lists (frozen accounts).
    pub fn with_revocations(mut self, revocations: Arc<dyn Revocations>) -> Self {
        self.revocations = Some(revocations);
        self
    }

    /// The verifier of a service other than users: `source`'s keys, and the
    /// revocation list in Redis at `redis_url` (else this process's).
    pub fn with_revocation_list(
        source: JwksSource,
        redis_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        Ok(Self::new(source).with_revocations(revocations::connect(redis_url)?))
    }

    /// Verifies `token` and returns who it names.
    pub async fn verify(&self, token: &str) -> Result<Viewer, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Invalid)?;
        let kid = header.kid.ok_or(AuthError::Invalid)?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(jsonwebtoken::Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| match e
            .kind()
        {
            ErrorKind::ExpiredSignature => AuthError::Expired,
            _ => AuthError::Invalid,
        })?;
        self.check_revocation(&data.claims).await?;
        Ok(data.claims.into())
    }

    async fn check_revocation(&self, claims: &Claims) -> Result<(), AuthError> {
        let Some(revocations) = &self.revocations else {
            return Ok(());
        };
        match revocations.revoked_at(&claims.sub).await {
            Ok(Some(at)) if claims.iat <= at => Err(AuthError::Revoked),
            Ok(_) => Ok(()),
            // Fails open: the signature stands and the token expires soon;
            // refusing every caller while Redis is away would be worse.
            Err(error) => {
                if REVOCATION_WARNING.due() {
                    tracing::warn!(error.cause_chain = ?error,
                        "the token revocation list is unreachable; tokens are not checked against it");
                }
                Ok(())
            }
        }
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        {
            let state = self.inner.state.read().await;
            if let Some(key) = state.keys.get(kid) {
                return Ok(key.clone());
            }
            if state
                .fetched_at
                .is_some_and(|at| at.elapsed() < REFETCH_INTERVAL)
            {
                return Err(AuthError::UnknownKey);
            }
        }
        let mut state = self.inner.state.write().await;
        if !state.keys.contains_key(kid)
            && state
                .fetched_at
                .is_none_or(|at| at.elapsed() >= REFETCH_INTERVAL)
        {
            match self.fetch().await {
                Ok(keys) => state.keys = keys,
                Err(e) => tracing::warn!(error = %e, "fetching the JWKS failed"),
            }
            state.fetched_at = Some(Instant::now());
        }
        state.keys.get(kid).cloned().ok_or(AuthError::UnknownKey)
    }

    async fn fetch(&self) -> anyhow::Result<HashMap<String, DecodingKey>> {
        let document = match &self.inner.source {
            JwksSource::Static(doc) => doc.clone(),
            JwksSource::Url(url) => {
                self.inner
                    .http
                    .get(url)
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?
            }
        };
        let set: JwkSet = serde_json::from_value(document)?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            if let Some(kid) = &jwk.common.key_id {
                keys.insert(kid.clone(), DecodingKey::from_jwk(jwk)?);
            }
        }
        Ok(keys)
    }
}

/// Replaces the key set every `every` while a verifier for it is alive; a
/// failed fetch keeps the keys it had.
async fn refresh_periodically(inner: Weak<Inner>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        let verifier = JwtVerifier {
            inner,
            revocations: None,
        };
        match verifier.fetch().await {
            Ok(keys) => {
                let mut state = verifier.inner.state.write().await;
                state.keys = keys;
                state.fetched_at = Some(Instant::now());
            }
            Err(e) => tracing::warn!(error = %e, "refreshing the JWKS failed; keeping the keys"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use axum::{Json, Router, routing::get};

    use super::*;
    use crate::auth::{SigningKey, revocations::LocalRevocations};
    use crate::sync::lock;

    #[tokio::test]
    async fn a_revoked_account_s_earlier_tokens_are_refused_and_later_ones_pass() {
        let key = SigningKey::generate().expect("a key");
        let revocations: Arc<dyn Revocations> = Arc::new(LocalRevocations::default());
        let verifier =
            JwtVerifier::new(JwksSource::Static(key.jwks())).with_revocations(revocations.clone());
        let now = crate::db::now_millis() / 1000;
        let token = |user: &str, iat: i64| {
            key.sign(&Claims {
                sub: user.into(),
                iss: ISSUER.into(),
                iat,
                exp: now + 600,
                scope: "customer".into(),
            })
            .expect("signed")
        };
        revocations
            .revoke("frozen", now, Duration::from_secs(600))
            .await
            .unwrap();
        assert_eq!(
            verifier.verify(&token("frozen", now - 60)).await,
            Err(AuthError::Revoked)
        );
        assert_eq!(
            verifier.verify(&token("frozen", now)).await,
            Err(AuthError::Revoked),
            "issued in the second it was revoked"
        );
        assert!(verifier.verify(&token("frozen", now + 1)).await.is_ok());
        assert!(
            verifier
                .verify(&token("someone-else", now - 60))
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_key_dropped_from_the_jwks_stops_verifying_after_a_background_refresh() {
        let old = SigningKey::generate().expect("a key");
        let new = SigningKey::generate().expect("a key");
        let published = Arc::new(Mutex::new(old.jwks()));
        let served = published.clone();
        let app = Router::new().route(
            "/jwks",
            get(move || {
                let document = lock(&served).clone();
                async move { Json(document) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}/jwks", listener.local_addr().expect("an address"));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let verifier =
            JwtVerifier::with_refresh_interval(JwksSource::Url(url), Duration::from_millis(100));
        let now = crate::db::now_millis() / 1000;
        let claims = Claims {
            sub: "user-1".into(),
            iss: ISSUER.into(),
            iat: now,
            exp: now + 600,
            scope: "customer".into(),
        };
        let old_token = old.sign(&claims).expect("signed");
        assert!(verifier.verify(&old_token).await.is_ok());

        *lock(&published) = new.jwks();
        let deadline = Instant::now() + Duration::from_secs(10);
        while verifier.verify(&old_token).await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "the dropped key was still trusted after 10 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            verifier.verify(&old_token).await,
            Err(AuthError::UnknownKey)
        );
        let new_token = new.sign(&claims).expect("signed");
        assert!(verifier.verify(&new_token).await.is_ok());
    }
}
