//! The `rate_limits:` section of router.yaml.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde::Deserialize;

/// Tiered rate limits: each operation class has its own token buckets, one
/// per client and one shared by every client, so that a flood in one class
/// (browsing) is shed while another (checkout) keeps its budget.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Off by default: a router without this section limits nothing.
    pub enabled: bool,
    /// A header carrying the client address set by a proxy you run (e.g.
    /// `x-forwarded-for`; its last entry is used, the one your proxy
    /// appended). Unset: the peer address of the connection.
    pub client_ip_header: Option<String>,
    /// Prefix of the bucket keys in Redis.
    pub key_prefix: String,
    /// In-process buckets kept before full (idle) ones are evicted.
    pub max_clients: usize,
    /// Classes by name, matched by root field name first, then by
    /// operation type.
    pub classes: IndexMap<String, ClassConfig>,
    /// The class of root fields no other class matches.
    pub default: Buckets,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            client_ip_header: None,
            key_prefix: "shopgraph:rate".into(),
            max_clients: 100_000,
            classes: IndexMap::new(),
            default: Buckets::default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassConfig {
    /// Root fields (of queries, mutations or subscriptions) in this class.
    pub root_fields: Vec<String>,
    /// Operation types (`query`, `mutation`, `subscription`) whose root
    /// fields fall in this class unless a class names them.
    pub operation_types: Vec<OperationType>,
    /// One bucket per client; unset: no per-client limit.
    pub per_client: Option<BucketConfig>,
    /// One bucket shared by all clients; unset: no overall limit.
    pub global: Option<BucketConfig>,
}

/// The buckets of the default class.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Buckets {
    pub per_client: Option<BucketConfig>,
    pub global: Option<BucketConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationType {
    Query,
    Mutation,
    Subscription,
}

/// A token bucket: `capacity` requests in a burst, refilled at
/// `refill_per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    pub capacity: u32,
    pub refill_per_second: f64,
}

impl BucketConfig {
    fn check(&self, what: &str) -> anyhow::Result<()> {
        if self.capacity == 0 {
            anyhow::bail!("rate_limits: {what} has capacity 0 (at least 1)");
        }
        if !(self.refill_per_second.is_finite() && self.refill_per_second > 0.0) {
            anyhow::bail!("rate_limits: {what} needs a positive refill_per_second");
        }
        Ok(())
    }
}

impl RateLimitConfig {
    /// What serde cannot check: positive rates, each root field and each
    /// operation type in one class at most.
    pub fn validate(&self) -> anyhow::Result<()> {
        let mut fields = HashSet::new();
        let mut types = HashSet::new();
        for (name, class) in &self.classes {
            if name == "default" {
                anyhow::bail!("rate_limits: `default` is configured at rate_limits.default");
            }
            for field in &class.root_fields {
                if !fields.insert(field.as_str()) {
                    anyhow::bail!("rate_limits: root field {field} is in two classes");
                }
            }
            for ty in &class.operation_types {
                if !types.insert(*ty) {
                    anyhow::bail!("rate_limits: operation type {ty:?} is in two classes");
                }
            }
            let buckets = [("per_client", &class.per_client), ("global", &class.global)];
            for (kind, bucket) in buckets {
                if let Some(bucket) = bucket {
                    bucket.check(&format!("class {name} {kind}"))?;
                }
            }
        }
        for (kind, bucket) in [
            ("per_client", &self.default.per_client),
            ("global", &self.default.global),
        ] {
            if let Some(bucket) = bucket {
                bucket.check(&format!("default {kind}"))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::RouterConfig;

    #[test]
    fn the_checked_in_router_yaml_has_valid_tiers() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../router-config/router.yaml");
        let config = RouterConfig::load(&path).expect("router.yaml is valid");
        let limits = &config.rate_limits;
        limits.validate().expect("valid rate limits");
        assert!(limits.enabled);
        assert!(
            limits.classes["checkout"]
                .root_fields
                .iter()
                .any(|f| f == "placeOrder")
        );
    }

    #[test]
    fn bad_rates_and_overlapping_classes_are_refused() {
        let parse = |yaml: &str| RouterConfig::parse(yaml).expect("parses").rate_limits;
        let zero = parse(
            "rate_limits:\n  classes:\n    a:\n      per_client: {capacity: 1, refill_per_second: 0}\n",
        );
        assert!(zero.validate().is_err());
        let overlap = parse(
            "rate_limits:\n  classes:\n    a: {root_fields: [x]}\n    b: {root_fields: [x]}\n",
        );
        assert!(overlap.validate().is_err());
        assert!(RouterConfig::parse("rate_limits:\n  enable: true\n").is_err());
        assert!(!RouterConfig::default().rate_limits.enabled);
    }
}
