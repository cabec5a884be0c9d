//! A catalog service seeded with its demo data, on an in-process broker the
//! search service shares, and what the tests ask it.

use std::{collections::HashSet, sync::Arc, time::Duration};

use platform::{
    auth::{JwksSource, SigningKey},
    events::{Broker, InProcessBroker},
    testing::{TestTokens, fresh_database_url, post_graphql},
};
use search::domain::ProductDocument;
use serde_json::{Value, json};

use crate::helpers::default_engine;

pub(super) struct LiveCatalog {
    pub(super) address: String,
    pub(super) token: String,
    /// Signed with the key the catalog trusts.
    pub(super) tokens: TestTokens,
    pub(super) client: reqwest::Client,
    /// The in-process broker the catalog publishes `product.changed` on and
    /// consumes order events from; the search service shares it.
    pub(super) broker: Arc<dyn Broker>,
}

pub(super) async fn spawn_catalog() -> LiveCatalog {
    let token = format!("internal-{}", uuid::Uuid::new_v4().simple());
    spawn_catalog_on(0, token).await
}

pub(super) async fn spawn_catalog_on(port: u16, token: String) -> LiveCatalog {
    platform::telemetry::init_test_tracing();
    let key = SigningKey::generate().expect("a signing key");
    let broker: Arc<dyn Broker> = Arc::new(InProcessBroker::new());
    let settings = catalog::Settings {
        listen_addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        database_url: fresh_database_url(default_engine())
            .await
            .expect("a database"),
        redis_url: platform::testing::redis_url(),
        jwks: JwksSource::Static(key.jwks()),
        internal_token: token.clone(),
        seed_demo: true,
        // The catalog's default: these tests start no catalog replicas.
        known_ids_sync: std::time::Duration::from_secs(2),
        amqp_url: None,
        broker: Some(broker.clone()),
        queue_namespace: format!("catalog-test-{}", uuid::Uuid::new_v4().simple()),
        outbox_poll_interval: Duration::from_millis(50),
        // No orders service here: the reservation sweeper stays off.
        orders_url: "http://127.0.0.1:4003".into(),
        reservation_grace: catalog::DEFAULT_RESERVATION_GRACE,
        reservation_sweep_interval: Duration::ZERO,
    };
    let app = catalog::App::build(settings)
        .await
        .expect("the catalog builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    LiveCatalog {
        address,
        token,
        tokens: TestTokens::new(key),
        client: reqwest::Client::new(),
        broker,
    }
}

impl LiveCatalog {
    /// Every product document as the index takes it.
    pub(super) async fn documents(&self) -> Vec<ProductDocument> {
        self.wire_documents()
            .await
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// How many of its products the index should hold.
    pub(super) async fn searchable_count(&self) -> u64 {
        self.documents()
            .await
            .iter()
            .filter(|d| d.is_searchable())
            .count() as u64
    }

    /// Every product document in the catalog's wire form
    /// (`contracts::product`), as `product.changed` carries it.
    pub(super) async fn wire_documents(&self) -> Vec<contracts::product::ProductDocument> {
        let mut documents = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = self
                .client
                .get(format!("{}{}", self.address, contracts::product::PATH))
                .header(catalog::INTERNAL_TOKEN_HEADER, &self.token)
                .query(&[("limit", "100")]);
            if let Some(after) = &after {
                request = request.query(&[("after", after)]);
            }
            let page: contracts::product::ProductDocumentPage = request
                .send()
                .await
                .expect("the catalog answers")
                .error_for_status()
                .expect("a page")
                .json()
                .await
                .expect("a product page");
            documents.extend(page.products);
            match page.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        documents
    }

    pub(super) async fn graphql(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> Value {
        let body = post_graphql(&self.client, &self.address, query, variables, token)
            .await
            .expect("the catalog answers with JSON");
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }

    /// The ids the catalog's own `products(filter)` lists, all pages.
    pub(super) async fn listed(&self, filter: &Value) -> HashSet<String> {
        let query = "query($filter: ProductFilter, $after: String) {
            products(filter: $filter, first: 100, after: $after) {
              nodes { id } pageInfo { hasNextPage endCursor } } }";
        let mut ids = HashSet::new();
        let mut after = Value::Null;
        loop {
            let data = self
                .graphql(query, json!({ "filter": filter, "after": after }), None)
                .await;
            let page = &data["products"];
            for node in page["nodes"].as_array().expect("nodes") {
                ids.insert(node["id"].as_str().expect("an id").to_owned());
            }
            if page["pageInfo"]["hasNextPage"] != true {
                return ids;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
    }
}
