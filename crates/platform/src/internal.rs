//! The shared secret of the services' internal HTTP APIs (`/internal/*`):
//! service-to-service calls that are not part of the public graph carry it
//! in the header [`INTERNAL_TOKEN_HEADER`]; a [`Peer`] is such an API as a
//! client calls it (the bodies and paths are in `contracts`).

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::{Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use rand::{Rng, distributions::Alphanumeric};
use serde_json::json;

use crate::config::env_opt;

/// The header that carries the internal token.
pub const INTERNAL_TOKEN_HEADER: &str = "x-internal-token";

/// `INTERNAL_TOKEN`, or a random token and a warning when it is unset:
/// then only callers handed this value in-process get through, so the
/// service is safe by default rather than open.
pub fn token_from_env(service: &str) -> String {
    match env_opt("INTERNAL_TOKEN") {
        Some(token) => token,
        None => {
            tracing::warn!(
                "INTERNAL_TOKEN is not set: generated a random internal token, so other \
                 services cannot call the {service} service's internal API unless they share it"
            );
            random_token()
        }
    }
}

/// A random 32-character token.
pub fn random_token() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// How long a call to another service's internal API may take by default:
/// a background round (a sweep) never hangs on a peer.
pub const PEER_TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client for calling another service's internal API: a request
/// that takes longer than [`PEER_TIMEOUT`] fails. `peer` names it in the
/// error.
pub fn http_client(peer: &str) -> anyhow::Result<reqwest::Client> {
    client_with_timeout(peer, PEER_TIMEOUT)
}

fn client_with_timeout(peer: &str, timeout: Duration) -> anyhow::Result<reqwest::Client> {
    use anyhow::Context;
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .with_context(|| format!("building the {peer} HTTP client"))
}

/// Another service, as a client calls it: its base URL, the internal token
/// its internal API wants, and an HTTP client with a timeout.
#[derive(Clone, Debug)]
pub struct Peer {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Peer {
    /// The service `peer` at `base` (a trailing `/` dropped); internal calls
    /// carry `token` when there is one, and every call fails after
    /// `timeout` ([`PEER_TIMEOUT`] unless the calls are known to be long).
    pub fn new(
        peer: &str,
        base: &str,
        token: Option<String>,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            token,
            http: client_with_timeout(peer, timeout)?,
        })
    }

    /// `GET` the internal API's `path` (`/internal/…`), with the token.
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.internal(self.http.get(self.url(path)))
    }

    /// `POST` to the internal API's `path` (`/internal/…`), with the token.
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.internal(self.http.post(self.url(path)))
    }

    /// `path` on the service, for a call that is not to its internal API
    /// (no token): `http()` and `url("/graphql")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn internal(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.header(INTERNAL_TOKEN_HEADER, token),
            None => request,
        }
    }
}

/// `router` with every route refusing (401 `{"code":"UNAUTHORIZED"}`) a
/// request whose `x-internal-token` is not `token`.
pub fn require_token<S>(router: Router<S>, token: &str) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let token: Arc<str> = token.into();
    router.layer(middleware::from_fn_with_state(token, check))
}

async fn check(State(token): State<Arc<str>>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(INTERNAL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if constant_time_eq(presented.as_bytes(), token.as_bytes()) {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({
                "code": "UNAUTHORIZED",
                "message": "a valid x-internal-token is required",
            })),
        )
            .into_response()
    }
}

/// Compares without an early exit, so timing does not reveal the secret.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison_needs_every_byte() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secre"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn a_peer_joins_paths_to_its_base_and_sends_the_token_to_its_internal_api() {
        let peer = Peer::new(
            "catalog",
            "http://catalog:4002/",
            Some("t".into()),
            PEER_TIMEOUT,
        )
        .unwrap();
        assert_eq!(peer.base(), "http://catalog:4002");
        let request = peer.post("/internal/stock/reserve").build().unwrap();
        assert_eq!(
            request.url().as_str(),
            "http://catalog:4002/internal/stock/reserve"
        );
        assert_eq!(request.headers()[INTERNAL_TOKEN_HEADER], "t");
        let open = Peer::new("catalog", "http://catalog:4002", None, PEER_TIMEOUT).unwrap();
        let request = open.get("/internal/products").build().unwrap();
        assert!(request.headers().get(INTERNAL_TOKEN_HEADER).is_none());
    }

    #[test]
    fn random_tokens_differ() {
        assert_eq!(random_token().len(), 32);
        assert_ne!(random_token(), random_token());
    }
}
