//! Tiered rate limits. Each request is charged to the operation classes
//! of its root fields (e.g. checkout, search, browse): one token from the
//! class's bucket for this client (the verified user, else the client IP)
//! and one from the class's bucket shared by all clients. A flood of
//! browsing empties the browse buckets only, so checkout keeps its budget.
//!
//! Buckets live in this process, or in Redis (`REDIS_URL`) when several
//! router replicas must share them. This module ties the [`RateLimiter`]
//! to requests: their client, and the operation the pipeline prepared.

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

use apollo_compiler::{ExecutableDocument, executable::Operation};
use axum::http::HeaderMap;
use platform::auth::Viewer;

pub use self::redis::RedisBackend;
pub use backend::{Bucket, Decision, RateLimitBackend};
pub use config::{BucketConfig, Buckets, ClassConfig, OperationType, RateLimitConfig};
pub use limiter::{Limited, RateLimiter};
pub use memory::MemoryBackend;

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

/// The client address of an HTTP request, for [`admit`]: the trusted
/// proxy header of `limiter` when configured and present, else the peer.
pub fn client_ip(
    limiter: Option<&RateLimiter>,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<IpAddr> {
    match limiter {
        Some(limiter) => limiter.client_ip(headers, peer),
        None => peer.map(|p| p.ip()),
    }
}

/// Charges one operation to its client and classes. `operation` is the
/// document and operation of the prepared request, so nothing is parsed
/// or looked up twice; `None` for a request refused before it was
/// prepared (one that does not parse, say), which is charged to the
/// default class: refusals are not free either.
pub async fn admit(
    limiter: &RateLimiter,
    operation: Option<(&ExecutableDocument, &Operation)>,
    viewer: Option<&Viewer>,
    ip: Option<IpAddr>,
) -> Result<(), Limited> {
    let classes = match operation {
        Some((document, operation)) => limiter.classes_of(
            Some(classify::operation_type(operation)),
            classify::root_fields(document, operation),
        ),
        None => limiter.classes_of(None, []),
    };
    let client = RateLimiter::client(viewer, ip);
    limiter.charge(&classes, &client).await
}
