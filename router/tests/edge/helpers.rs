//! The shop subgraph on port 0 and the router in front of it.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
};

use async_graphql_axum::{GraphQL, GraphQLSubscription};
use axum::{Router, routing::post_service};
use platform::testing::TestTokens;
use router::{
    App, RouterConfig, Settings,
    compose::{SubgraphDefinition, compose},
};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::shop;

/// The shop subgraph's URL (it serves the second schema version).
pub async fn spawn_shop() -> String {
    let schema = shop::v2();
    let app = Router::new().route(
        "/graphql",
        post_service(GraphQL::new(schema.clone())).get_service(GraphQLSubscription::new(schema)),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://127.0.0.1:{port}/graphql")
}

/// The supergraph of the shop subgraph's `sdl`.
pub fn supergraph(url: &str, sdl: String) -> String {
    compose(&[SubgraphDefinition::new("shop", url, sdl)])
        .unwrap_or_else(|errors| panic!("the shop composes: {errors:?}"))
        .into_sdl()
}

pub fn config(yaml: &str) -> RouterConfig {
    RouterConfig::parse(yaml).expect("test router.yaml")
}

/// A name no other test (or earlier run) uses.
pub fn unique(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    format!(
        "{name}-{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh temporary directory (removed when dropped).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(unique("router-edge"));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct TestRouter {
    pub url: String,
    pub client: reqwest::Client,
}

/// One answer: status, `Retry-After` header, JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }
}

impl TestRouter {
    pub async fn start(settings: Settings) -> Self {
        let app = App::build(settings).await.expect("router builds");
        let url = format!("http://127.0.0.1:{}/graphql", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            url,
            client: reqwest::Client::new(),
        }
    }

    /// POSTs `query`, with `token` as bearer when given.
    pub async fn ask(&self, token: Option<&str>, query: &str) -> Answer {
        let mut request = self.client.post(&self.url).json(&json!({ "query": query }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("router answers");
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("router answered non-JSON ({e}): {text}"));
        Answer {
            status,
            retry_after,
            body,
        }
    }
}

/// Router settings for the shop at `url`, verifying `tokens`.
pub fn settings(url: &str, tokens: &TestTokens, config: RouterConfig) -> Settings {
    let mut settings = Settings::new(supergraph(url, shop::v2_sdl()));
    settings.jwks = Some(tokens.jwks());
    settings.config = config;
    settings
}
