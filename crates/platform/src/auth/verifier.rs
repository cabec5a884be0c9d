//! Verifies access tokens against a JWKS: fetched from the users service
//! (and fetched again when a token names a key id not seen yet, so a key
//! rotation or a users service that started later is picked up), or given.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use jsonwebtoken::{DecodingKey, Validation, errors::ErrorKind, jwk::JwkSet};
use tokio::sync::RwLock;

use super::{AuthError, Claims, ISSUER, Viewer};

/// Where the public keys come from.
#[derive(Clone, Debug)]
pub enum JwksSource {
    /// `GET` this URL (the users service's `/.well-known/jwks.json`).
    Url(String),
    /// A JWKS document known in-process.
    Static(serde_json::Value),
}

/// The shortest time between two fetches of a remote JWKS, so a flood of
/// tokens with made-up key ids cannot turn into a flood of fetches.
const REFETCH_INTERVAL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct JwtVerifier {
    inner: Arc<Inner>,
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
    pub fn new(source: JwksSource) -> Self {
        Self {
            inner: Arc::new(Inner {
                source,
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(5))
                    .build()
                    .expect("a reqwest client with a timeout builds"),
                state: RwLock::new(State::default()),
            }),
        }
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
        Ok(data.claims.into())
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
