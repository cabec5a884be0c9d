//! `spawn_app` and typed request helpers.

use std::sync::Arc;

use platform::{
    auth::JwksSource,
    events::{Broker, InProcessBroker},
    testing::{fresh_database_url, graphql_request, http_client},
};
use search::{App, Settings, domain::ProductDocument, store::SharedIndex};
use serde_json::{Value, json};
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    #[allow(dead_code)] // used by the event tests
    pub broker: Arc<dyn Broker>,
    pub index: SharedIndex,
    /// The settings the app was built with (the broker aside).
    pub settings: Settings,
    _index_dir: TempDir,
}

/// The engine the processed-message table lives on: PostgreSQL when
/// switched on, else SQLite.
pub use platform::testing::default_engine;

/// Settings for a test app on a fresh database and index; Elasticsearch
/// (under a fresh alias) when `ELASTICSEARCH_URL` is set.
pub async fn settings(index_dir: &TempDir, catalog_url: &str) -> Settings {
    let database_url = fresh_database_url(default_engine())
        .await
        .expect("a fresh database");
    Settings {
        listen_addr: "127.0.0.1:0".parse().expect("a valid address"),
        database_url,
        amqp_url: None,
        redis_url: platform::testing::redis_url(),
        jwks: JwksSource::Static(json!({ "keys": [] })),
        catalog_url: catalog_url.to_owned(),
        internal_token: None,
        elasticsearch_url: platform::config::env_opt("ELASTICSEARCH_URL"),
        elasticsearch_index: format!("test-products-{}", uuid::Uuid::new_v4().simple()),
        index_dir: index_dir.path().join("search-index"),
        reindex_on_empty: false,
        queue_namespace: format!("search-test-{}", uuid::Uuid::new_v4().simple()),
        broker: Some(Arc::new(InProcessBroker::new())),
    }
}

/// A search service whose catalog is not running, with `products`
/// written to its index.
pub async fn spawn_app_with(products: &[ProductDocument]) -> TestApp {
    platform::telemetry::init_test_tracing();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = spawn(settings(&dir, "http://127.0.0.1:9").await, dir).await;
    app.index.upsert(products).await.expect("indexing products");
    app
}

pub async fn spawn(settings: Settings, dir: TempDir) -> TestApp {
    let broker = settings.broker.clone().expect("tests inject a broker");
    let mut kept = settings.clone();
    let app = App::build(settings).await.expect("the app builds");
    kept.listen_addr.set_port(app.port());
    let address = format!("http://127.0.0.1:{}", app.port());
    let index = app.index();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address,
        client: http_client().expect("a client"),
        broker,
        index,
        settings: kept,
        _index_dir: dir,
    }
}

impl TestApp {
    /// POSTs a GraphQL operation and returns the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let response = graphql_request(&self.client, &self.address, query, variables, None)
            .send()
            .await
            .expect("the service answers");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response.json().await.expect("a JSON body")
    }

    /// `searchProducts` with `variables`; its data, or the errors.
    pub async fn search(&self, variables: Value) -> Result<Value, Value> {
        let body = self.graphql(SEARCH, variables).await;
        match body.get("errors") {
            Some(errors) => Err(errors.clone()),
            None => Ok(body["data"]["searchProducts"].clone()),
        }
    }

    /// The product ids a search returns, in order.
    pub async fn search_ids(&self, variables: Value) -> Vec<String> {
        let data = self.search(variables).await.expect("the search succeeds");
        data["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["id"].as_str().expect("an id").to_owned())
            .collect()
    }
}

pub const SEARCH: &str = r#"
query Search($query: String, $filter: ProductSearchFilter, $sort: ProductSearchSort,
             $first: Int, $after: String) {
  searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    nodes { id }
    edges { cursor score node { id } highlights { name description } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    facets {
      categories { category { id } count }
      brands { brand count }
      priceBuckets { min max count }
    }
  }
}"#;

/// The `extensions.code` of the first error.
pub fn error_code(errors: &Value) -> &str {
    errors[0]["extensions"]["code"].as_str().unwrap_or_default()
}
