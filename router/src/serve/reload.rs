//! Configuration reload without restart: the supergraph file and
//! router.yaml are polled every second; when either changes, a new
//! [`Runtime`] (plans, documents, limits of the new files) is built and the
//! whole app is swapped at once, keeping what belongs to the process: the
//! metrics, the persisted queries, the subgraph connections, the token
//! verifier and the rate-limit buckets. A file that does not parse or
//! build is logged and the app keeps serving the old one. Requests in
//! flight (and open WebSocket subscriptions) finish on the runtime they
//! started with.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, RwLock},
    time::Duration,
};

use axum::{Router, extract::Request};
use platform::auth::{JwtVerifier, revocations};
use platform::sync::{read, write};
use tower::ServiceExt;

use super::{
    http::app,
    runtime::{self, Runtime, Shared},
};
use crate::{
    config::{RouterConfig, Settings},
    edge::rate_limit::{self, RateLimitBackend, RateLimiter},
    execute::{Endpoint, HttpSubgraphClient},
    supergraph::Supergraph,
};

/// How often the watched files are read.
const POLL: Duration = Duration::from_secs(1);

/// What every runtime of this process shares: subgraph URL overrides, the
/// token verifier (with its fetched keys and the revocation list), the
/// rate-limit buckets, the metrics and persisted queries, and the HTTP
/// client to the subgraphs, so a reload neither refetches keys, forgives
/// rate-limited clients, resets counters, forgets queries nor reconnects.
pub(crate) struct RuntimeFactory {
    overrides: HashMap<String, String>,
    verifier: Option<JwtVerifier>,
    /// Chosen at start (Redis or in-process, with router.yaml's
    /// `max_clients` then); the classes and rates follow each reload.
    limits: Arc<dyn RateLimitBackend>,
    shared: Shared,
    /// The last runtime's subgraph client; `None` before the first.
    transport: Option<Transport>,
}

/// A subgraph client and what it was built for. Its endpoints are fixed
/// when it is built: a reload that changes a subgraph's URL, timeout or
/// protocol, or the response limit, gets a new one on the same connection
/// pools; any other reload keeps it.
struct Transport {
    endpoints: HashMap<String, Endpoint>,
    max_response_bytes: usize,
    client: Arc<HttpSubgraphClient>,
}

impl Transport {
    fn serves(&self, endpoints: &HashMap<String, Endpoint>, max_response_bytes: usize) -> bool {
        let same = |a: &Endpoint, b: &Endpoint| {
            a.url == b.url && a.timeout == b.timeout && a.http2 == b.http2
        };
        self.max_response_bytes == max_response_bytes
            && self.endpoints.len() == endpoints.len()
            && endpoints
                .iter()
                .all(|(name, b)| self.endpoints.get(name).is_some_and(|a| same(a, b)))
    }
}

impl RuntimeFactory {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        // Tokens of frozen accounts are refused here already, before any
        // plan runs (the subgraphs refuse them too).
        let verifier = match &settings.jwks {
            Some(jwks) => Some(
                JwtVerifier::new(jwks.clone())
                    .with_revocations(revocations::connect(settings.redis_url.as_deref())?),
            ),
            None => None,
        };
        Ok(Self {
            overrides: settings.subgraph_url_overrides.clone(),
            verifier,
            limits: rate_limit::backend(
                settings.redis_url.as_deref(),
                &settings.config.rate_limits,
            )?,
            shared: Shared::new(settings.config.cache_size)?,
            transport: None,
        })
    }

    /// The runtime of `sdl` and `config`, on the last runtime's subgraph
    /// client when it still serves the endpoints.
    pub fn build(&mut self, sdl: &str, config: RouterConfig) -> anyhow::Result<Runtime> {
        let supergraph = Supergraph::parse(sdl)?;
        let endpoints = runtime::endpoints(&supergraph, &self.overrides, &config)?;
        let max_response_bytes = config.limits.max_subgraph_response_bytes;
        let client = match &self.transport {
            Some(kept) if kept.serves(&endpoints, max_response_bytes) => kept.client.clone(),
            Some(kept) => Arc::new(
                kept.client
                    .with_endpoints(endpoints.clone(), max_response_bytes),
            ),
            None => Arc::new(HttpSubgraphClient::new(
                endpoints.clone(),
                max_response_bytes,
            )),
        };
        let limiter = RateLimiter::new(&config.rate_limits, self.limits.clone())?;
        let runtime = Runtime::with_client(supergraph, config, client.clone(), &self.shared)?
            .with_rate_limiter(limiter.map(Arc::new));
        // Only a runtime that is built gets served, and passes its client on.
        self.transport = Some(Transport {
            endpoints,
            max_response_bytes,
            client,
        });
        Ok(match &self.verifier {
            Some(verifier) => runtime.with_verifier(verifier.clone()),
            None => runtime,
        })
    }
}

/// The app being served, replaceable while serving.
#[derive(Clone)]
pub(crate) struct LiveApp(Arc<RwLock<Router>>);

impl LiveApp {
    pub fn new(app: Router) -> Self {
        Self(Arc::new(RwLock::new(app)))
    }

    fn current(&self) -> Router {
        read(&self.0).clone()
    }

    fn replace(&self, app: Router) {
        *write(&self.0) = app;
    }

    /// A router handing each request, untouched (connection info and
    /// WebSocket upgrades included), to the app current when it arrives.
    pub fn router(&self) -> Router {
        let live = self.clone();
        Router::new().fallback(move |request: Request| {
            let app = live.current();
            async move {
                match app.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        })
    }
}

/// One watched file and the text last seen in it.
struct Watched {
    path: PathBuf,
    seen: Option<String>,
}

impl Watched {
    fn new(path: Option<PathBuf>, seen: Option<String>) -> Option<Self> {
        path.map(|path| Self { path, seen })
    }

    /// Reads the file again: whether its text differs from the last seen.
    /// A file that cannot be read (an editor replacing it, say) counts as
    /// unchanged.
    async fn refresh(&mut self) -> bool {
        let text = match tokio::fs::read_to_string(&self.path).await {
            Ok(text) => text,
            Err(error) => {
                tracing::debug!(path = %self.path.display(), %error, "watched file unreadable");
                return false;
            }
        };
        if self.seen.as_deref() == Some(text.as_str()) {
            return false;
        }
        self.seen = Some(text);
        true
    }

    fn text(watched: &Option<Self>) -> Option<&str> {
        watched.as_ref().and_then(|w| w.seen.as_deref())
    }
}

pub(crate) struct Watcher {
    factory: RuntimeFactory,
    live: LiveApp,
    supergraph: Option<Watched>,
    config_file: Option<Watched>,
    sdl: String,
    config: RouterConfig,
}

impl Watcher {
    /// `None` when settings name no file to watch.
    pub fn new(factory: RuntimeFactory, live: LiveApp, settings: &Settings) -> Option<Self> {
        if settings.supergraph_path.is_none() && settings.config_path.is_none() {
            return None;
        }
        // router.yaml's text is not in the settings: read it now, so only
        // a later change counts as one.
        let config_text = settings
            .config_path
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok());
        Some(Self {
            factory,
            live,
            supergraph: Watched::new(
                settings.supergraph_path.clone(),
                Some(settings.supergraph_sdl.clone()),
            ),
            config_file: Watched::new(settings.config_path.clone(), config_text),
            sdl: settings.supergraph_sdl.clone(),
            config: settings.config.clone(),
        })
    }

    pub async fn run(mut self) {
        let mut ticks = tokio::time::interval(POLL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            self.poll().await;
        }
    }

    async fn poll(&mut self) {
        let mut changed = false;
        for watched in [&mut self.supergraph, &mut self.config_file]
            .into_iter()
            .flatten()
        {
            changed |= watched.refresh().await;
        }
        if !changed {
            return;
        }
        // Both files as they are now, changed or not: a pair refused
        // together (a supergraph naming a policy the new router.yaml drops,
        // say) loads as soon as either file is fixed.
        let config = match Watched::text(&self.config_file) {
            Some(text) => match RouterConfig::parse(text) {
                Ok(config) => config,
                Err(error) => {
                    tracing::warn!(error.cause_chain = ?error, "router.yaml changed but is invalid; keeping the running configuration");
                    return;
                }
            },
            None => self.config.clone(),
        };
        let sdl = Watched::text(&self.supergraph).map_or_else(|| self.sdl.clone(), str::to_owned);
        match self.factory.build(&sdl, config.clone()) {
            Ok(runtime) => {
                self.live.replace(app(Arc::new(runtime)));
                self.sdl = sdl;
                self.config = config;
                tracing::info!("reloaded the supergraph and router configuration");
            }
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "the changed supergraph or router.yaml does not load; keeping the running one");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{
        convert::Infallible,
        sync::atomic::{AtomicUsize, Ordering},
    };

    use bytes::Bytes;
    use http_body_util::Full;
    use hyper::{HeaderMap, server::conn::http1, service::service_fn};
    use hyper_util::rt::TokioIo;
    use tokio::net::TcpListener;

    use super::*;
    use crate::execute::{Object, SubgraphClient, SubgraphRequest};

    const SDL: &str = include_str!("../../tests/fixtures/supergraph.graphql");

    fn client_of(factory: &RuntimeFactory) -> Arc<HttpSubgraphClient> {
        factory.transport.as_ref().expect("built").client.clone()
    }

    #[tokio::test]
    async fn a_reload_keeps_the_subgraph_client_until_an_endpoint_changes() {
        let mut factory = RuntimeFactory::new(&Settings::new(SDL)).expect("factory");
        factory.build(SDL, RouterConfig::default()).expect("first");
        let first = client_of(&factory);
        let no_introspection = RouterConfig::parse("introspection: false\n").expect("yaml");
        factory
            .build(SDL, no_introspection)
            .expect("same endpoints");
        assert!(Arc::ptr_eq(&first, &client_of(&factory)), "reconnected");

        let refused = RouterConfig::parse(
            "subgraphs:\n  timeout_ms: 5\n  overrides:\n    accounts: { url: 'not a url' }\n",
        );
        assert!(factory.build(SDL, refused.expect("yaml")).is_err());
        assert!(
            Arc::ptr_eq(&first, &client_of(&factory)),
            "a refused reload"
        );

        let shorter = RouterConfig::parse("subgraphs:\n  timeout_ms: 5\n").expect("yaml");
        factory.build(SDL, shorter).expect("new timeout");
        assert!(!Arc::ptr_eq(&first, &client_of(&factory)), "old timeouts");
    }

    /// A subgraph that answers every request and counts the connections
    /// it accepted.
    async fn counting_subgraph() -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/graphql", listener.local_addr().expect("addr"));
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let answer = service_fn(|_| async {
                    let body = Bytes::from_static(br#"{"data":{"__typename":"Query"}}"#);
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(body)))
                });
                tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), answer));
            }
        });
        (url, accepted)
    }

    #[tokio::test]
    async fn a_reload_that_changes_an_endpoint_keeps_the_open_connections() {
        let (url, accepted) = counting_subgraph().await;
        let config = |timeout: u64| {
            let yaml = format!(
                "subgraphs:\n  timeout_ms: {timeout}\n  overrides:\n    accounts: {{ url: '{url}' }}\n"
            );
            RouterConfig::parse(&yaml).expect("yaml")
        };
        let ask = |client: Arc<HttpSubgraphClient>| async move {
            let request =
                SubgraphRequest::new("{ __typename }", &Object::new(), HeaderMap::new(), true);
            client.execute("accounts", request).await.expect("answered");
        };
        let mut factory = RuntimeFactory::new(&Settings::new(SDL)).expect("factory");
        factory.build(SDL, config(3000)).expect("first");
        let first = client_of(&factory);
        ask(first.clone()).await;
        factory.build(SDL, config(4000)).expect("new timeout");
        let second = client_of(&factory);
        assert!(
            !Arc::ptr_eq(&first, &second),
            "a client for the new timeout"
        );
        ask(second).await;
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "one connection, kept");
    }
}
