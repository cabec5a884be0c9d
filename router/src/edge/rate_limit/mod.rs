//! Tiered rate limits. Each request is charged to the operation classes
//! of its root fields (e.g. checkout, search, browse): one token from the
//! class's bucket for this client (the verified user, else the client IP)
//! and one from the class's bucket shared by all clients. A flood of
//! browsing empties the browse buckets only, so checkout keeps its budget.
//!
//! Buckets live in this process, or in Redis (`REDIS_URL`) when several
//! router replicas must share them. This module ties the [`RateLimiter`]
//! to HTTP requests.

mod backend;
mod classify;
mod config;
mod limiter;
mod memory;
mod redis;

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::http::{HeaderMap, HeaderValue, StatusCode};

pub use self::redis::RedisBackend;
pub use backend::{Bucket, Decision, RateLimitBackend};
pub use config::{BucketConfig, Buckets, ClassConfig, OperationType, RateLimitConfig};
pub use limiter::{Limited, RateLimiter};
pub use memory::MemoryBackend;

use crate::serve::{GraphQLRequest, Outcome, ResponseBody, Runtime};

/// The backend for `config`: Redis when a URL is given, else in-process.
pub fn backend(
    redis_url: Option<&str>,
    config: &RateLimitConfig,
) -> anyhow::Result<Arc<dyn RateLimitBackend>> {
    Ok(match redis_url {
        Some(url) => Arc::new(RedisBackend::new(url)?),
        None => Arc::new(MemoryBackend::new(config.max_clients)),
    })
}

/// The client address of an HTTP request, for [`admit`].
pub(crate) fn client_ip(
    runtime: &Runtime,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<IpAddr> {
    match &runtime.rate_limiter {
        Some(limiter) => limiter.client_ip(headers, peer),
        None => peer.map(|p| p.ip()),
    }
}

/// Charges a request to its client and classes, or answers 429
/// `RATE_LIMITED`. A request that does not parse is charged to the
/// default class (the pipeline then rejects it).
pub(crate) async fn admit(
    runtime: &Runtime,
    request: &GraphQLRequest,
    ip: Option<IpAddr>,
) -> Result<(), Outcome> {
    let Some(limiter) = &runtime.rate_limiter else {
        return Ok(());
    };
    let classes = classes(runtime, limiter, request);
    let client = RateLimiter::client(request.viewer.as_ref(), ip);
    limiter
        .charge(&classes, &client)
        .await
        .map_err(|limited| limited.outcome())
}

fn classes(runtime: &Runtime, limiter: &RateLimiter, request: &GraphQLRequest) -> Vec<usize> {
    let resolved;
    let query = match &request.query {
        Some(query) => Some(query.as_str()),
        None => {
            // A persisted-query hash: the text the router remembers for it.
            let mut lookup = GraphQLRequest {
                extensions: request.extensions.clone(),
                ..GraphQLRequest::default()
            };
            resolved = runtime
                .persisted
                .resolve(&mut lookup)
                .ok()
                .and(lookup.query);
            resolved.as_deref()
        }
    };
    let document = query.and_then(|q| runtime.document(q).ok());
    let name = request.operation_name.as_deref().filter(|n| !n.is_empty());
    match document
        .as_ref()
        .and_then(|d| Some((d, d.operations.get(name).ok()?)))
    {
        Some((document, operation)) => limiter.classes_of(
            Some(classify::operation_type(operation)),
            classify::root_fields(document, operation),
        ),
        None => limiter.classes_of(None, []),
    }
}

/// The `Retry-After` header of a `RATE_LIMITED` answer.
pub(crate) fn retry_after(outcome: &Outcome) -> Option<HeaderValue> {
    if outcome.status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let ResponseBody::Value(body) = &outcome.body else {
        return None;
    };
    let seconds = body["errors"][0]["extensions"]["retryAfter"].as_u64()?;
    HeaderValue::from_str(&seconds.to_string()).ok()
}
