//! The four subgraphs on free ports, each counting the requests and entity
//! representations it receives, composed by our composition and served by
//! our router with the benchmark's router.yaml.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    middleware::{self, Next},
    response::Response,
};
use gateway_subgraphs::Answers;
use router::{App, RouterConfig, Settings, compose::SubgraphDefinition};
use serde_json::Value;

/// The benches/ directory.
pub fn benches_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The benchmark's query, as run.sh sends it.
pub fn deep_query() -> String {
    std::fs::read_to_string(benches_dir().join("cases/gateway.graphql")).expect("the case's query")
}

/// What one subgraph received.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub requests: usize,
    /// Entity representations over all `_entities` requests.
    pub representations: usize,
}

#[derive(Clone, Default)]
struct Counter(Arc<Mutex<Received>>);

impl Counter {
    fn received(&self) -> Received {
        *self.0.lock().expect("counter lock")
    }
}

/// Counts the request and its representations, then hands it on as it came.
async fn count(counter: Counter, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.expect("request body");
    let representations = serde_json::from_slice::<Value>(&bytes)
        .map(|body| entity_representations(&body))
        .unwrap_or(0);
    {
        let mut received = counter.0.lock().expect("counter lock");
        received.requests += 1;
        received.representations += representations;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The representations an `_entities` request carries: all its variables
/// are lists of them (our router batches several entity fetches into one
/// request, a variable each).
fn entity_representations(body: &Value) -> usize {
    if !body["query"]
        .as_str()
        .is_some_and(|q| q.contains("_entities"))
    {
        return 0;
    }
    body["variables"].as_object().map_or(0, |variables| {
        variables
            .values()
            .filter_map(Value::as_array)
            .map(Vec::len)
            .sum()
    })
}

pub struct Gateway {
    url: String,
    client: reqwest::Client,
    counters: BTreeMap<&'static str, Counter>,
}

impl Gateway {
    pub async fn start(answers: Answers) -> Self {
        let mut definitions = Vec::new();
        let mut counters = BTreeMap::new();
        for mut subgraph in gateway_subgraphs::subgraphs(answers) {
            let counter = Counter::default();
            let counting = counter.clone();
            subgraph.app = subgraph
                .app
                .layer(middleware::from_fn(move |request, next| {
                    count(counting.clone(), request, next)
                }));
            let bound = subgraph.bind(0).await.expect("subgraph binds");
            definitions.push(SubgraphDefinition::new(
                bound.name,
                bound.url(),
                bound.sdl.clone(),
            ));
            counters.insert(bound.name, counter);
            tokio::spawn(bound.run_until_stopped(std::future::pending()));
        }
        let supergraph = router::compose::compose(&definitions)
            .unwrap_or_else(|errors| panic!("the gateway subgraphs compose: {errors:?}"))
            .into_sdl();
        let mut settings = Settings::new(supergraph);
        settings.config = RouterConfig::load(&benches_dir().join("config/router.yaml"))
            .expect("benches/config/router.yaml");
        let app = App::build(settings).await.expect("router builds");
        let url = format!("http://127.0.0.1:{}/graphql", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            url,
            client: reqwest::Client::new(),
            counters,
        }
    }

    /// POSTs `query`; returns the HTTP status and the body's text.
    pub async fn post(&self, query: &str) -> (u16, String) {
        let response = self
            .client
            .post(&self.url)
            .json(&serde_json::json!({ "query": query }))
            .send()
            .await
            .expect("the router answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// What each subgraph has received so far, by name.
    pub fn received(&self) -> BTreeMap<&'static str, Received> {
        self.counters
            .iter()
            .map(|(name, counter)| (*name, counter.received()))
            .collect()
    }
}
