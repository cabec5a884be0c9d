//! Router settings: where the supergraph comes from, where to listen, and
//! the behaviour configured in `router-config/router.yaml`.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use platform::{
    auth::JwksSource,
    config::{env_opt, listen_addr},
};
use serde::Deserialize;

/// Everything [`crate::App::build`] needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen_addr: SocketAddr,
    /// The Apollo-format supergraph SDL to serve.
    pub supergraph_sdl: String,
    /// Subgraph name → URL, replacing the routing URL in the supergraph.
    pub subgraph_url_overrides: HashMap<String, String>,
    pub config: RouterConfig,
    /// Where the keys that sign access tokens are published. `None`: no
    /// token is verified and every caller is anonymous.
    pub jwks: Option<JwksSource>,
    /// The files the supergraph and router.yaml were read from, watched
    /// and reloaded without restart when they change; `None`: not watched.
    pub supergraph_path: Option<PathBuf>,
    pub config_path: Option<PathBuf>,
    /// Redis holding the rate-limit buckets shared by router replicas;
    /// `None`: buckets in this process.
    pub redis_url: Option<String>,
}

impl Settings {
    /// A router for `supergraph_sdl` on an ephemeral local port with the
    /// default configuration.
    pub fn new(supergraph_sdl: impl Into<String>) -> Self {
        Self {
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            supergraph_sdl: supergraph_sdl.into(),
            subgraph_url_overrides: HashMap::new(),
            config: RouterConfig::default(),
            jwks: None,
            supergraph_path: None,
            config_path: None,
            redis_url: None,
        }
    }

    /// The files of `files`, where given, else `SUPERGRAPH_PATH` (default
    /// `schema/supergraph.graphql`) and `ROUTER_CONFIG` (default
    /// `router-config/router.yaml`, optional unless named explicitly);
    /// `LISTEN_ADDR` (default `127.0.0.1:4000`), `SUBGRAPH_URL_<NAME>`
    /// overrides (name upper-cased), `JWKS_URL` (default
    /// `http://127.0.0.1:4001/.well-known/jwks.json`), `REDIS_URL` (rate
    /// limits shared between replicas). Both files are watched.
    pub fn from_env(files: RouterFiles) -> anyhow::Result<Self> {
        let path = files
            .supergraph
            .or_else(|| env_opt("SUPERGRAPH_PATH").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("schema/supergraph.graphql"));
        let supergraph_sdl = std::fs::read_to_string(&path)
            .with_context(|| format!("reading the supergraph from {}", path.display()))?;
        let listen_addr = listen_addr("LISTEN_ADDR", 4000)?;
        let config_path = RouterConfig::path_or_env(files.config);
        let config = RouterConfig::load_or_default(config_path.as_deref())?;
        let subgraph_url_overrides = std::env::vars()
            .filter_map(|(key, value)| {
                let name = key.strip_prefix("SUBGRAPH_URL_")?;
                Some((name.to_lowercase(), value))
            })
            .collect();
        let jwks_url = env_opt("JWKS_URL")
            .unwrap_or_else(|| "http://127.0.0.1:4001/.well-known/jwks.json".into());
        Ok(Self {
            listen_addr,
            supergraph_sdl,
            subgraph_url_overrides,
            config,
            jwks: Some(JwksSource::Url(jwks_url)),
            supergraph_path: Some(path),
            config_path,
            redis_url: env_opt("REDIS_URL"),
        })
    }
}

/// The files named on the command line (`shopgraph router --supergraph
/// --config`), which take precedence over the environment. Passed as values
/// rather than written into the environment: `set_var` is unsound once
/// other threads (the runtime's workers) may read it.
#[derive(Debug, Clone, Default)]
pub struct RouterFiles {
    pub supergraph: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

/// `router.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouterConfig {
    pub limits: Limits,
    /// Whether `__schema`/`__type` queries are answered.
    pub introspection: bool,
    pub subgraphs: SubgraphsConfig,
    /// How many plans and validated documents are cached per supergraph,
    /// and how many persisted queries the process keeps (the value at
    /// start: they outlive reloads).
    pub cache_size: usize,
    /// Identical subgraph queries in flight at once share one request.
    pub deduplicate_queries: bool,
    /// Serve the GraphiQL playground at `/`.
    pub playground: bool,
    /// Tiered rate limits (off unless configured).
    pub rate_limits: crate::edge::rate_limit::RateLimitConfig,
    /// What meets each policy the supergraph's `@policy` names.
    pub authorization: crate::edge::auth::AuthorizationConfig,
    /// Browser origins allowed to call the router (`*` for any); empty:
    /// no CORS headers, so only same-origin pages can.
    pub cors_allow_origins: Vec<String>,
    /// Operations over WebSocket on `/graphql`.
    pub websocket: WebSocketConfig,
}

impl Default for RouterConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            introspection: true,
            subgraphs: SubgraphsConfig::default(),
            cache_size: 1024,
            deduplicate_queries: true,
            cors_allow_origins: Vec::new(),
            playground: true,
            rate_limits: Default::default(),
            authorization: Default::default(),
            websocket: WebSocketConfig::default(),
        }
    }
}

impl RouterConfig {
    /// The router.yaml of [`RouterConfig::path_or_env`] with no path of
    /// its own, or the defaults.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::load_or_default(Self::path_or_env(None).as_deref())
    }

    fn load_or_default(path: Option<&Path>) -> anyhow::Result<Self> {
        path.map_or_else(|| Ok(Self::default()), Self::load)
    }

    /// The router.yaml to read: `explicit`, else `ROUTER_CONFIG` when set
    /// (either must exist), else `router-config/router.yaml` when present;
    /// `None`: the defaults.
    fn path_or_env(explicit: Option<PathBuf>) -> Option<PathBuf> {
        match explicit.or_else(|| env_opt("ROUTER_CONFIG").map(PathBuf::from)) {
            Some(path) => Some(path),
            None => {
                let default = Path::new("router-config/router.yaml");
                default.exists().then(|| default.to_path_buf())
            }
        }
    }

    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let raw =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&raw).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn parse(yaml: &str) -> anyhow::Result<Self> {
        let config: Self = serde_yaml::from_str(yaml)?;
        config.validate()?;
        Ok(config)
    }

    /// Settings that parse but cannot work: refused at start and at reload.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.limits.validate()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Deepest field nesting of an operation (a leaf field is one level).
    /// Defaults to `platform::limits::MAX_QUERY_DEPTH`, which the ShopGraph
    /// subgraphs enforce too; at most [`crate::plan::MAX_NESTING`], the
    /// deepest document the query planner can parse.
    pub max_depth: usize,
    /// Most aliased fields in an operation.
    pub max_aliases: usize,
    /// Most root fields in an operation.
    pub max_root_fields: usize,
    /// Most lexical tokens in a document (checked while parsing).
    pub max_tokens: usize,
    /// Largest subgraph response body, in bytes.
    pub max_subgraph_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 2 * 1024 * 1024,
            max_depth: platform::limits::MAX_QUERY_DEPTH,
            max_aliases: 256,
            max_root_fields: 64,
            max_tokens: 20_000,
            max_subgraph_response_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The deepest nesting of selection sets and input values the router's
    /// parser admits: room for every level of `max_depth` to sit in one
    /// fragment (`platform::limits::MAX_SELECTION_NESTING` at the default),
    /// and never more than the query planner can parse, so that a document
    /// the router admits can be planned.
    pub fn max_nesting(&self) -> usize {
        self.max_depth
            .saturating_mul(2)
            .min(crate::plan::MAX_NESTING)
    }

    fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.max_depth <= crate::plan::MAX_NESTING,
            "limits.max_depth {} is deeper than the query planner can parse (at most {})",
            self.max_depth,
            crate::plan::MAX_NESTING
        );
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSocketConfig {
    /// How long a socket may go without `connection_init` before it is
    /// closed (graphql-transport-ws: 4408). The graphql-ws library's
    /// server waits 3 s, Hot Chocolate 10 s; 10 s leaves room for slow
    /// mobile links.
    pub connection_init_timeout_ms: u64,
    /// How often the legacy graphql-ws protocol sends `ka` after
    /// `connection_ack`; 0: never. Its client closes a socket that went
    /// 30 s without one, once it has seen the first.
    pub keep_alive_interval_ms: u64,
    /// Operations one socket may have in flight at once (subscriptions,
    /// and queries not yet answered); past it a new one gets an error and
    /// the others go on. AWS AppSync allows 100 per connection.
    pub max_subscriptions_per_socket: usize,
}

impl Default for WebSocketConfig {
    fn default() -> Self {
        Self {
            connection_init_timeout_ms: 10_000,
            keep_alive_interval_ms: 15_000,
            max_subscriptions_per_socket: 100,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SubgraphsConfig {
    /// Timeout of one subgraph request unless the subgraph sets its own.
    pub timeout_ms: u64,
    /// Per-subgraph settings by subgraph name.
    pub overrides: HashMap<String, SubgraphConfig>,
    /// Failures in a row after which a subgraph gets no requests for
    /// `circuit_cooldown_ms`; 0 turns the circuit breaker off.
    pub circuit_failure_threshold: u32,
    pub circuit_cooldown_ms: u64,
    /// Extra attempts for a query whose connection failed (never for
    /// mutations).
    pub retries: u32,
}

impl Default for SubgraphsConfig {
    fn default() -> Self {
        Self {
            timeout_ms: 30_000,
            overrides: HashMap::new(),
            circuit_failure_threshold: 5,
            circuit_cooldown_ms: 5_000,
            retries: 1,
        }
    }
}

impl SubgraphsConfig {
    pub fn timeout(&self, subgraph: &str) -> Duration {
        let ms = self
            .overrides
            .get(subgraph)
            .and_then(|s| s.timeout_ms)
            .unwrap_or(self.timeout_ms);
        Duration::from_millis(ms)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SubgraphConfig {
    pub timeout_ms: Option<u64>,
    pub url: Option<String>,
    /// The subgraph speaks HTTP/2 over plain TCP (h2c, prior knowledge).
    pub http2: bool,
}

#[cfg(test)]
mod tests;
