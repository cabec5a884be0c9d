//! Configuration reload without restart: the supergraph file and
//! router.yaml are polled every second; when either changes, a new
//! [`Runtime`] (plans, documents, limits of the new files) is built and the
//! whole app is swapped at once. A file that does not parse or build is
//! logged and the app keeps serving the old one. Requests in flight (and
//! open WebSocket subscriptions) finish on the runtime they started with.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, RwLock},
    time::Duration,
};

use axum::{Router, extract::Request};
use platform::auth::{JwtVerifier, revocations};
use tower::ServiceExt;

use super::{http::app, runtime::Runtime};
use crate::{
    config::{RouterConfig, Settings},
    edge::rate_limit::{self, RateLimitBackend, RateLimiter},
};

/// How often the watched files are read.
const POLL: Duration = Duration::from_secs(1);

/// What every runtime of this process shares: subgraph URL overrides, the
/// token verifier (with its fetched keys and the revocation list) and the
/// rate-limit buckets, so a reload neither refetches keys nor forgives
/// rate-limited clients.
pub(crate) struct RuntimeFactory {
    overrides: HashMap<String, String>,
    verifier: Option<JwtVerifier>,
    /// Chosen at start (Redis or in-process, with router.yaml's
    /// `max_clients` then); the classes and rates follow each reload.
    limits: Arc<dyn RateLimitBackend>,
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
        })
    }

    pub fn build(&self, sdl: &str, config: RouterConfig) -> anyhow::Result<Runtime> {
        let limiter = RateLimiter::new(&config.rate_limits, self.limits.clone())?;
        let runtime =
            Runtime::new(sdl, &self.overrides, config)?.with_rate_limiter(limiter.map(Arc::new));
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
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn replace(&self, app: Router) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = app;
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
