//! Test harness: the test subgraphs on port 0 with request logs, and the
//! router in front of them, reached over HTTP.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_graphql::{ObjectType, Schema, SubscriptionType};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse, GraphQLSubscription};
use axum::{
    Router,
    extract::State,
    http::{HeaderMap, header::AUTHORIZATION},
    routing::post,
};
use platform::{auth::SigningKey, testing::sign_token};
use router::{App, RouterConfig, Settings};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::subgraphs::{self, Authorization};

pub const SUPERGRAPH: &str = include_str!("../fixtures/supergraph.graphql");

/// One request a subgraph received.
#[derive(Debug, Clone)]
pub struct Logged {
    pub version: axum::http::Version,
    pub query: String,
    pub variables: Value,
    pub authorization: Option<String>,
}

#[derive(Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Logged>>>);

impl RequestLog {
    pub fn all(&self) -> Vec<Logged> {
        self.0.lock().expect("log lock").clone()
    }

    pub fn entity_calls(&self) -> Vec<Logged> {
        self.all()
            .into_iter()
            .filter(|r| r.query.contains("_entities"))
            .collect()
    }

    pub fn push(&self, entry: Logged) {
        self.0.lock().expect("log lock").push(entry);
    }
}

pub struct TestSubgraph {
    pub url: String,
    pub log: RequestLog,
}

type Shared<Q, M, S> = (Schema<Q, M, S>, RequestLog, Duration);

async fn handle<Q, M, S>(
    State((schema, log, delay)): State<Shared<Q, M, S>>,
    version: axum::http::Version,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let mut request = request.into_inner();
    let authorization = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    log.push(Logged {
        version,
        query: request.query.clone(),
        variables: serde_json::to_value(&request.variables).unwrap_or(Value::Null),
        authorization: authorization.clone(),
    });
    if let Some(authorization) = authorization {
        request = request.data(Authorization(authorization));
    }
    tokio::time::sleep(delay).await;
    schema.execute(request).await.into()
}

pub async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://127.0.0.1:{port}/graphql")
}

/// A subgraph of a scenario: its name, its federation SDL and its app,
/// not yet listening.
pub struct Member {
    name: String,
    sdl: String,
    app: Router,
    log: RequestLog,
}

impl Member {
    pub fn new(name: &str, sdl: String, app: Router, log: RequestLog) -> Self {
        Self {
            name: name.to_owned(),
            sdl,
            app,
            log,
        }
    }
}

/// The subgraphs of one scenario, composed by our composition and served
/// behind a router.
pub struct Federation {
    pub router: TestRouter,
    /// The composed supergraph the router serves.
    pub supergraph: String,
    logs: HashMap<String, RequestLog>,
}

impl Federation {
    pub async fn start(members: Vec<Member>) -> Self {
        Self::start_with(members, RouterConfig::default()).await
    }

    pub async fn start_with(members: Vec<Member>, config: RouterConfig) -> Self {
        let mut definitions = Vec::new();
        let mut urls = HashMap::new();
        let mut logs = HashMap::new();
        for member in members {
            let url = serve(member.app).await;
            definitions.push(router::compose::SubgraphDefinition::new(
                &member.name,
                &url,
                member.sdl,
            ));
            urls.insert(member.name.clone(), url);
            logs.insert(member.name, member.log);
        }
        let supergraph = router::compose::compose(&definitions)
            .unwrap_or_else(|errors| panic!("the scenario's subgraphs compose: {errors:?}"))
            .into_sdl();
        let router = TestRouter::spawn_with_sdl(&supergraph, urls, config).await;
        Self {
            router,
            supergraph,
            logs,
        }
    }

    /// The requests subgraph `name` received.
    pub fn log(&self, name: &str) -> Vec<Logged> {
        self.logs[name].all()
    }

    /// The exact response (status 200 expected) to `query`.
    pub async fn query(&self, query: &str) -> Value {
        let (status, body) = self.router.query(query, json!({})).await;
        assert_eq!(status, 200, "{query}: {body}");
        body
    }
}

pub async fn spawn_subgraph<Q, M, S>(schema: Schema<Q, M, S>) -> TestSubgraph
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    spawn_slow_subgraph(schema, Duration::ZERO).await
}

/// A subgraph that waits `delay` before answering each request.
pub async fn spawn_slow_subgraph<Q, M, S>(schema: Schema<Q, M, S>, delay: Duration) -> TestSubgraph
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let log = RequestLog::default();
    TestSubgraph {
        url: serve(subgraph_app(schema, log.clone(), delay)).await,
        log,
    }
}

fn subgraph_app<Q, M, S>(schema: Schema<Q, M, S>, log: RequestLog, delay: Duration) -> Router
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    Router::new()
        .route(
            "/graphql",
            post(handle::<Q, M, S>).get_service(GraphQLSubscription::new(schema.clone())),
        )
        .with_state((schema, log, delay))
}

pub struct TestSubgraphs {
    pub accounts: TestSubgraph,
    pub products: TestSubgraph,
    pub reviews: TestSubgraph,
    pub inventory: TestSubgraph,
    pub search: TestSubgraph,
}

impl TestSubgraphs {
    pub async fn spawn() -> Self {
        Self {
            accounts: spawn_subgraph(subgraphs::accounts()).await,
            products: spawn_subgraph(subgraphs::products_schema()).await,
            reviews: spawn_subgraph(subgraphs::reviews_schema()).await,
            inventory: spawn_subgraph(subgraphs::inventory_schema()).await,
            search: spawn_subgraph(subgraphs::search_schema()).await,
        }
    }

    pub fn urls(&self) -> HashMap<String, String> {
        [
            ("accounts", &self.accounts),
            ("products", &self.products),
            ("reviews", &self.reviews),
            ("inventory", &self.inventory),
            ("search", &self.search),
        ]
        .into_iter()
        .map(|(name, s)| (name.to_owned(), s.url.clone()))
        .collect()
    }
}

/// A URL where nothing listens (connection refused).
pub async fn dead_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/graphql")
}

/// A URL that accepts connections and never answers.
pub async fn hanging_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://127.0.0.1:{port}/graphql")
}

/// A URL that answers 200 with a body that is not a GraphQL response.
pub async fn garbage_url() -> String {
    serve(Router::new().route("/graphql", post(|| async { "<html>oops</html>" }))).await
}

pub struct TestRouter {
    pub base: String,
    pub client: reqwest::Client,
}

impl TestRouter {
    pub async fn spawn(urls: HashMap<String, String>, config: RouterConfig) -> Self {
        Self::spawn_with_sdl(SUPERGRAPH, urls, config).await
    }

    pub async fn spawn_with_sdl(
        sdl: &str,
        urls: HashMap<String, String>,
        config: RouterConfig,
    ) -> Self {
        let mut settings = Settings::new(sdl);
        settings.subgraph_url_overrides = urls;
        settings.config = config;
        Self::start(settings).await
    }

    pub async fn start(settings: Settings) -> Self {
        let app = App::build(settings).await.expect("router builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            base,
            client: reqwest::Client::new(),
        }
    }

    pub async fn for_subgraphs(subgraphs: &TestSubgraphs) -> Self {
        Self::spawn(subgraphs.urls(), RouterConfig::default()).await
    }

    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// POSTs a query; returns the HTTP status and the JSON body.
    pub async fn query(&self, query: &str, variables: Value) -> (u16, Value) {
        self.post_json(&json!({ "query": query, "variables": variables }))
            .await
    }

    pub async fn post_json(&self, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.graphql_url())
            .json(body)
            .send()
            .await
            .expect("router answers");
        read(response).await
    }
}

pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("router answered non-JSON ({e}): {text}"));
    (status, body)
}

/// A TCP proxy in front of `target` that cuts the first `drops`
/// connections as soon as they open, then forwards the rest.
pub async fn flaky_proxy(target: &str, drops: usize) -> String {
    let upstream = target
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host:port")
        .to_owned();
    let path = target.splitn(4, '/').nth(3).unwrap_or_default().to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let mut seen = 0;
        while let Ok((mut client, _)) = listener.accept().await {
            seen += 1;
            if seen <= drops {
                drop(client);
                continue;
            }
            let upstream = upstream.clone();
            tokio::spawn(async move {
                if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    format!("http://127.0.0.1:{port}/{path}")
}

/// A token signed by `key` for a caller holding `scope` (space-separated
/// scopes).
pub fn token(key: &SigningKey, scope: &str) -> String {
    sign_token(key, "u1", scope).expect("signed")
}

/// POSTs `query` to `router` with `token` as the bearer, if any.
pub async fn ask(router: &TestRouter, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut request = router
        .client
        .post(router.graphql_url())
        .json(&json!({"query": query}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    read(request.send().await.expect("router answers")).await
}
