//! The per-supergraph runtime: API schema, planner with its plan cache,
//! validated-document cache and executor. Everything cached here belongs
//! to one supergraph, so serving a new supergraph means a new runtime;
//! what is not tied to one supergraph ([`Shared`]) outlives it.

use std::{collections::HashMap, sync::Arc};

use anyhow::Context;
use apollo_compiler::{ExecutableDocument, parser::Parser, validation::Valid};
use moka::sync::Cache;
use platform::auth::JwtVerifier;

use super::{apq::PersistedQueries, diagnostics, one_of};
use crate::{
    config::RouterConfig,
    edge::{auth::AuthPolicies, rate_limit::RateLimiter},
    execute::{
        DedupingClient, Endpoint, Executor, ResiliencePolicy, ResilientClient, SubgraphClient,
    },
    metrics::{MeteredClient, Metrics},
    plan::{CachingPlanner, HivePlanner},
    response::GraphQLError,
    supergraph::Supergraph,
};

pub struct Runtime {
    pub supergraph: Arc<Supergraph>,
    pub config: RouterConfig,
    pub(crate) planner: CachingPlanner<HivePlanner>,
    pub(crate) executor: Executor,
    /// `@authenticated`/`@requiresScopes`/`@policy` of this supergraph.
    pub(crate) auth: AuthPolicies,
    /// Verifies bearer tokens; `None` treats every caller as anonymous.
    pub(crate) verifier: Option<JwtVerifier>,
    pub metrics: Arc<Metrics>,
    pub(crate) persisted: Arc<PersistedQueries>,
    /// Tiered rate limits; `None`: off.
    pub(crate) rate_limiter: Option<Arc<RateLimiter>>,
    /// Validated documents by text, bounded like the plans.
    documents: Cache<String, Arc<Valid<ExecutableDocument>>>,
}

/// What every runtime of a process shares, so that a reload resets
/// neither the counters Prometheus scrapes nor the persisted queries
/// clients registered (a query's hash names the same text in any
/// supergraph; it is validated again on use).
pub(crate) struct Shared {
    pub metrics: Arc<Metrics>,
    pub persisted: Arc<PersistedQueries>,
}

impl Shared {
    /// With room for `cache_size` persisted queries (router.yaml at start;
    /// a reload does not resize them).
    pub fn new(cache_size: usize) -> anyhow::Result<Self> {
        Ok(Self {
            metrics: Arc::new(Metrics::new()?),
            persisted: Arc::new(PersistedQueries::new(cache_size)),
        })
    }
}

/// The subgraphs' HTTP endpoints: their routing URLs or the overrides
/// (settings first, then router.yaml), with router.yaml's timeouts.
pub(crate) fn endpoints(
    supergraph: &Supergraph,
    url_overrides: &HashMap<String, String>,
    config: &RouterConfig,
) -> anyhow::Result<HashMap<String, Endpoint>> {
    let mut endpoints = HashMap::new();
    for subgraph in &supergraph.subgraphs {
        let overrides = config.subgraphs.overrides.get(&subgraph.name);
        let url = url_overrides
            .get(&subgraph.name)
            .or_else(|| overrides.and_then(|s| s.url.as_ref()))
            .unwrap_or(&subgraph.url);
        let url = url
            .parse()
            .with_context(|| format!("subgraph {} has an invalid URL {url:?}", subgraph.name))?;
        endpoints.insert(
            subgraph.name.clone(),
            Endpoint {
                url,
                timeout: config.subgraphs.timeout(&subgraph.name),
                http2: overrides.is_some_and(|s| s.http2),
            },
        );
    }
    Ok(endpoints)
}

/// Why a document was rejected before execution.
pub enum DocumentError {
    Parse(Vec<GraphQLError>),
    Invalid(Vec<GraphQLError>),
}

impl Runtime {
    /// A runtime with any subgraph transport, counting into and
    /// remembering persisted queries in `shared`.
    pub(crate) fn with_client(
        supergraph: Supergraph,
        config: RouterConfig,
        client: Arc<dyn SubgraphClient>,
        shared: &Shared,
    ) -> anyhow::Result<Self> {
        config.validate()?;
        let planner = HivePlanner::new_from_supergraph(&supergraph)?;
        let auth = AuthPolicies::from_supergraph(&supergraph.schema, &config.authorization)?;
        let supergraph = Arc::new(supergraph);
        let metrics = shared.metrics.clone();
        // Innermost first: metrics see every real attempt, the breaker and
        // retries wrap them, de-duplication shares the whole outcome.
        let metered: Arc<dyn SubgraphClient> =
            Arc::new(MeteredClient::new(client, metrics.clone()));
        let policy = ResiliencePolicy {
            failure_threshold: config.subgraphs.circuit_failure_threshold,
            cooldown: std::time::Duration::from_millis(config.subgraphs.circuit_cooldown_ms),
            retries: config.subgraphs.retries,
        };
        let mut client: Arc<dyn SubgraphClient> = Arc::new(ResilientClient::new(metered, policy));
        if config.deduplicate_queries {
            client = Arc::new(DedupingClient::new(client));
        }
        let executor = Executor::new(client, supergraph.clone());
        Ok(Self {
            persisted: shared.persisted.clone(),
            rate_limiter: None,
            metrics,
            auth,
            verifier: None,
            planner: CachingPlanner::new(planner, config.cache_size),
            executor,
            documents: Cache::new(config.cache_size.max(1) as u64),
            supergraph,
            config,
        })
    }

    /// Verifies bearer tokens with `verifier`.
    pub fn with_verifier(mut self, verifier: JwtVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Limits request rates with `limiter`.
    pub fn with_rate_limiter(mut self, limiter: Option<Arc<RateLimiter>>) -> Self {
        self.rate_limiter = limiter;
        self
    }

    /// Parses and validates `text` against the API schema, once per text.
    pub fn document(&self, text: &str) -> Result<Arc<Valid<ExecutableDocument>>, DocumentError> {
        if let Some(document) = self.documents.get(text) {
            return Ok(document);
        }
        let limits = &self.config.limits;
        let ast = Parser::new()
            .token_limit(limits.max_tokens)
            // Nesting of selection sets and values, not field depth: it
            // stops a 10,000-deep document before it can exhaust the stack,
            // and lets through only what the planner can parse too.
            .recursion_limit(limits.max_nesting())
            .parse_ast(text, "operation.graphql")
            .map_err(|e| DocumentError::Parse(diagnostics::parse_errors(&e.errors)))?;
        let document = ast
            .to_executable_validate(&self.supergraph.api_schema)
            .map_err(|e| {
                DocumentError::Invalid(diagnostics::validation_errors(
                    &e.errors,
                    &self.supergraph.api_schema,
                    &ast,
                ))
            })?;
        let one_of = one_of::literal_errors(&self.supergraph.api_schema, &document);
        if !one_of.is_empty() {
            return Err(DocumentError::Invalid(one_of));
        }
        let document = Arc::new(document);
        self.documents.insert(text.to_owned(), document.clone());
        Ok(document)
    }
}
