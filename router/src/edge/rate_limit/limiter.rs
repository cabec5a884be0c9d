//! The classes of one router.yaml: which buckets a request takes tokens
//! from, and the answer when one is empty.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use axum::http::HeaderMap;
use platform::{auth::Viewer, telemetry::Throttle};

use super::{
    backend::{Bucket, Decision, RateLimitBackend},
    config::{BucketConfig, OperationType, RateLimitConfig},
};

struct Class {
    name: String,
    per_client: Option<BucketConfig>,
    global: Option<BucketConfig>,
}

/// The classes of one router.yaml over a backend that outlives reloads.
pub struct RateLimiter {
    prefix: String,
    client_ip_header: Option<String>,
    classes: Vec<Class>,
    by_field: HashMap<String, usize>,
    by_type: HashMap<OperationType, usize>,
    /// Index of the default class in `classes`.
    default: usize,
    backend: Arc<dyn RateLimitBackend>,
    /// At most one warning every ten seconds while the backend fails.
    warning: Throttle,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    pub class: String,
    /// Whole seconds, at least 1.
    pub retry_after: u64,
}

impl RateLimiter {
    /// `None` when `config` turns rate limits off.
    pub fn new(
        config: &RateLimitConfig,
        backend: Arc<dyn RateLimitBackend>,
    ) -> anyhow::Result<Option<Self>> {
        config.validate()?;
        if !config.enabled {
            return Ok(None);
        }
        let mut classes = Vec::new();
        let mut by_field = HashMap::new();
        let mut by_type = HashMap::new();
        for (name, class) in &config.classes {
            let index = classes.len();
            for field in &class.root_fields {
                by_field.insert(field.clone(), index);
            }
            for ty in &class.operation_types {
                by_type.insert(*ty, index);
            }
            classes.push(Class {
                name: name.clone(),
                per_client: class.per_client,
                global: class.global,
            });
        }
        classes.push(Class {
            name: "default".into(),
            per_client: config.default.per_client,
            global: config.default.global,
        });
        Ok(Some(Self {
            prefix: config.key_prefix.clone(),
            client_ip_header: config.client_ip_header.clone(),
            default: classes.len() - 1,
            classes,
            by_field,
            by_type,
            backend,
            warning: Throttle::new(Duration::from_secs(10)),
        }))
    }

    /// The classes of an operation's root fields, each once: a field named
    /// by a class, else the class of its operation type, else `default`.
    pub(super) fn classes_of<'a>(
        &self,
        operation_type: Option<OperationType>,
        root_fields: impl IntoIterator<Item = &'a str>,
    ) -> Vec<usize> {
        let by_type = operation_type
            .and_then(|ty| self.by_type.get(&ty).copied())
            .unwrap_or(self.default);
        let mut classes: Vec<usize> = root_fields
            .into_iter()
            .map(|field| self.by_field.get(field).copied().unwrap_or(by_type))
            .collect();
        if classes.is_empty() {
            classes.push(by_type);
        }
        classes.sort_unstable();
        classes.dedup();
        classes
    }

    fn buckets(&self, classes: &[usize], client: &str) -> Vec<Bucket> {
        let mut buckets = Vec::new();
        for class in classes.iter().filter_map(|&i| self.classes.get(i)) {
            if let Some(b) = class.per_client {
                buckets.push(Bucket {
                    key: format!("{}:{}:client:{client}", self.prefix, class.name),
                    capacity: b.capacity,
                    refill_per_second: b.refill_per_second,
                });
            }
            if let Some(b) = class.global {
                buckets.push(Bucket {
                    key: format!("{}:{}:global", self.prefix, class.name),
                    capacity: b.capacity,
                    refill_per_second: b.refill_per_second,
                });
            }
        }
        buckets
    }

    /// Charges `client` for one operation in `classes`.
    pub(super) async fn charge(&self, classes: &[usize], client: &str) -> Result<(), Limited> {
        let buckets = self.buckets(classes, client);
        if buckets.is_empty() {
            return Ok(());
        }
        match self.backend.acquire(&buckets).await {
            Ok(Decision::Allowed) => Ok(()),
            Ok(Decision::Limited { retry_after }) => Err(Limited {
                class: self.limited_class(classes),
                retry_after: whole_seconds(retry_after),
            }),
            // Fail open: with Redis down, shedding every request would turn
            // a cache outage into a full outage, so requests pass unlimited
            // (browsing keeps working) and a warning is logged.
            Err(error) => {
                self.warn(&error);
                Ok(())
            }
        }
    }

    fn limited_class(&self, classes: &[usize]) -> String {
        classes
            .iter()
            .filter_map(|&i| self.classes.get(i))
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }

    fn warn(&self, error: &anyhow::Error) {
        if self.warning.due() {
            tracing::warn!(
                error.cause_chain = ?error,
                "rate limit backend failed; letting requests through unlimited"
            );
        }
    }

    /// The client a request is charged to: the verified user (the viewer
    /// exists only after the router verified the token), else the IP.
    pub(super) fn client(viewer: Option<&Viewer>, ip: Option<IpAddr>) -> String {
        match (viewer, ip) {
            (Some(viewer), _) => format!("user:{}", viewer.user_id),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => "anonymous".into(),
        }
    }

    /// The client address: the trusted proxy header when configured and
    /// present, else the connection's peer.
    pub fn client_ip(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
        let forwarded = self.client_ip_header.as_deref().and_then(|name| {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|v| v.trim().parse::<IpAddr>().ok())
                .next_back()
        });
        forwarded.or(peer.map(|p| p.ip()))
    }
}

fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::{super::MemoryBackend, *};

    fn limiter(yaml: &str) -> RateLimiter {
        let config = crate::config::RouterConfig::parse(yaml)
            .expect("config")
            .rate_limits;
        let backend = Arc::new(MemoryBackend::new(100));
        RateLimiter::new(&config, backend)
            .expect("valid")
            .expect("enabled")
    }

    const TIERS: &str = "rate_limits:
  enabled: true
  classes:
    checkout: {root_fields: [placeOrder], per_client: {capacity: 1, refill_per_second: 1}}
    search: {root_fields: [searchProducts], per_client: {capacity: 1, refill_per_second: 1}}
    browse: {operation_types: [query], per_client: {capacity: 1, refill_per_second: 1}}
  default: {per_client: {capacity: 1, refill_per_second: 1}}
";

    #[test]
    fn fields_pick_their_class_and_the_rest_fall_to_their_type_or_default() {
        let limiter = limiter(TIERS);
        let names = |classes: Vec<usize>| -> Vec<String> {
            classes
                .iter()
                .map(|&i| limiter.classes[i].name.clone())
                .collect()
        };
        let q = Some(OperationType::Query);
        let m = Some(OperationType::Mutation);
        assert_eq!(names(limiter.classes_of(m, ["placeOrder"])), ["checkout"]);
        assert_eq!(names(limiter.classes_of(m, ["updateName"])), ["default"]);
        assert_eq!(names(limiter.classes_of(q, ["products"])), ["browse"]);
        assert_eq!(
            names(limiter.classes_of(q, ["searchProducts", "products"])),
            ["search", "browse"]
        );
        assert_eq!(names(limiter.classes_of(None, [])), ["default"]);
    }

    #[tokio::test]
    async fn limited_requests_name_the_class_and_when_to_retry() {
        let limiter = limiter(TIERS);
        let browse = limiter.classes_of(Some(OperationType::Query), ["products"]);
        assert!(limiter.charge(&browse, "ip:1.2.3.4").await.is_ok());
        let limited = limiter
            .charge(&browse, "ip:1.2.3.4")
            .await
            .expect_err("second browse in a burst of one");
        assert_eq!(limited.class, "browse");
        assert_eq!(limited.retry_after, 1);
        assert!(limiter.charge(&browse, "ip:5.6.7.8").await.is_ok());
    }

    #[test]
    fn the_forwarded_header_is_trusted_only_when_configured() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        let peer = Some(SocketAddr::from(([127, 0, 0, 1], 9)));
        let plain = limiter(TIERS);
        assert_eq!(
            plain.client_ip(&headers, peer),
            Some(IpAddr::from([127, 0, 0, 1]))
        );
        let proxied = limiter(&format!("{TIERS}  client_ip_header: x-forwarded-for\n"));
        assert_eq!(
            proxied.client_ip(&headers, peer),
            Some(IpAddr::from([10, 0, 0, 7]))
        );
    }
}
