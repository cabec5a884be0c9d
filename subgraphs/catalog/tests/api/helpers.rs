//! `spawn_app` and typed request helpers.

use std::time::Duration;

use std::sync::Arc;

use catalog::{App, INTERNAL_TOKEN_HEADER, Settings};
use platform::{
    auth::{JwksSource, SigningKey},
    events::{Broker, Event, InProcessBroker},
    testing::{
        TestEngine, TestTokens, amqp_url, fresh_database_url, http_client, poll_until,
        post_graphql, redis_url,
    },
};
use serde_json::{Value, json};

use crate::catalog_admin::CatalogAdmin;

pub struct TestApp {
    pub address: String,
    pub internal_token: String,
    pub client: reqwest::Client,
    /// The broker the app consumes order events from (evented apps only).
    pub broker: Option<Arc<dyn Broker>>,
    /// Signed with the key the app trusts.
    pub tokens: TestTokens,
}

pub use platform::testing::{default_engine, error_code};

pub async fn spawn_app() -> TestApp {
    spawn_app_on(default_engine(), false).await
}

pub async fn spawn_seeded_app() -> TestApp {
    spawn_app_on(default_engine(), true).await
}

pub fn settings(database_url: &str, key: &SigningKey, seed_demo: bool) -> Settings {
    Settings {
        listen_addr: "127.0.0.1:0".parse().expect("a valid address"),
        database_url: database_url.to_owned(),
        redis_url: redis_url(),
        jwks: JwksSource::Static(key.jwks()),
        internal_token: format!("test-token-{}", uuid::Uuid::new_v4().simple()),
        seed_demo,
        // Fast, so a replica learns another's products within the test.
        known_ids_sync: Duration::from_millis(200),
        amqp_url: None,
        broker: None,
        queue_namespace: format!("catalog-test-{}", uuid::Uuid::new_v4().simple()),
        outbox_poll_interval: Duration::from_millis(500),
        // No orders service here: the reservation sweeper stays off (the
        // orders tests run it against a real one).
        orders_url: "http://127.0.0.1:4003".into(),
        reservation_grace: catalog::DEFAULT_RESERVATION_GRACE,
        reservation_sweep_interval: Duration::ZERO,
    }
}

pub async fn spawn_app_on(engine: TestEngine, seed_demo: bool) -> TestApp {
    platform::telemetry::init_test_tracing();
    let database_url = fresh_database_url(engine).await.expect("a fresh database");
    let key = SigningKey::generate().expect("a signing key");
    spawn_with(settings(&database_url, &key, seed_demo), key).await
}

/// The broker of an evented test: RabbitMQ under TEST_AMQP_URL (its test
/// queues expire once the test is over), else in-process.
pub async fn test_broker() -> Arc<dyn Broker> {
    platform::testing::test_broker(amqp_url().as_deref())
        .await
        .expect("the test broker")
}

/// An app on `broker`, with its own queue namespace and a fast relay.
pub async fn spawn_with_broker(broker: Arc<dyn Broker>) -> TestApp {
    spawn_evented(false, broker, Duration::from_millis(50)).await
}

/// A seeded app whose outbox relay only runs when a write wakes it (no
/// polling), so an idle app issues no statements of its own.
pub async fn spawn_quiet_seeded_app() -> TestApp {
    spawn_evented(
        true,
        Arc::new(InProcessBroker::new()),
        Duration::from_secs(3600),
    )
    .await
}

async fn spawn_evented(seed_demo: bool, broker: Arc<dyn Broker>, poll: Duration) -> TestApp {
    let consumed_by_app = broker.clone();
    platform::telemetry::init_test_tracing();
    let database_url = fresh_database_url(default_engine())
        .await
        .expect("a fresh database");
    let key = SigningKey::generate().expect("a signing key");
    let mut settings = settings(&database_url, &key, seed_demo);
    settings.broker = Some(consumed_by_app);
    settings.outbox_poll_interval = poll;
    // A quiet app (long poll) does not sync its product id filter either.
    settings.known_ids_sync = settings.known_ids_sync.max(poll);
    let token = settings.internal_token.clone();
    let mut app = start(App::build(settings).await, key, token);
    app.broker = Some(broker);
    app
}

pub async fn spawn_with(settings: Settings, key: SigningKey) -> TestApp {
    let token = settings.internal_token.clone();
    start(App::build(settings).await, key, token)
}

fn start(app: anyhow::Result<App>, key: SigningKey, internal_token: String) -> TestApp {
    let app = app.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address,
        internal_token,
        client: http_client().expect("a client"),
        broker: None,
        tokens: TestTokens::new(key),
    }
}

impl TestApp {
    /// Publishes an `order.paid` of `user_id` buying one of each product,
    /// the way the orders service does, and waits until the app consumed it
    /// (each product's sales count went up).
    pub async fn buy(&self, user_id: &str, product_ids: &[&str]) {
        let broker = self
            .broker
            .as_ref()
            .expect("buying needs an app spawned with a broker");
        let sales = |docs: &[Value], id: &str| {
            docs.iter()
                .find(|d| d["id"] == id)
                .and_then(|d| d["salesCount"].as_i64())
                .unwrap_or_else(|| panic!("product {id} among the documents"))
        };
        let docs = self.all_documents().await;
        let before: Vec<i64> = product_ids.iter().map(|id| sales(&docs, id)).collect();
        let items: Vec<Value> = product_ids
            .iter()
            .map(|id| {
                json!({ "productId": id, "skuId": format!("sku-of-{id}"), "quantity": 1,
                "unitPrice": { "amount": 100, "currency": "CNY" } })
            })
            .collect();
        let order_id = uuid::Uuid::new_v4().to_string();
        let paid = Event::new(
            "order.paid",
            json!({ "orderId": order_id, "userId": user_id, "status": "PAID",
                "previousStatus": "PENDING_PAYMENT", "items": items }),
        );
        broker.publish(&paid).await.expect("order.paid published");
        let consumed = poll_until(
            Duration::from_secs(15),
            Duration::from_millis(50),
            || self.all_documents(),
            |docs| {
                product_ids
                    .iter()
                    .zip(&before)
                    .all(|(id, before)| sales(docs, id) > *before)
            },
        )
        .await;
        assert!(consumed.is_ok(), "order {order_id} was not consumed");
    }

    /// POST /graphql; returns the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        post_graphql(&self.client, &self.address, query, variables, token)
            .await
            .expect("a JSON response")
    }

    /// `data` of a GraphQL response that must not carry errors.
    pub async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self.graphql(query, variables, token).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    pub async fn internal_post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.address))
            .header(INTERNAL_TOKEN_HEADER, &self.internal_token)
            .json(&body)
            .send()
            .await
            .expect("the request is sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn internal_get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .header(INTERNAL_TOKEN_HEADER, &self.internal_token)
            .send()
            .await
            .expect("the request is sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Every product document, through the internal paging API.
    pub async fn all_documents(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let path = match &after {
                Some(a) => format!("/internal/products?limit=100&after={a}"),
                None => "/internal/products?limit=100".to_owned(),
            };
            let (status, page) = self.internal_get(&path).await;
            assert_eq!(status, 200, "{page}");
            out.extend(page["products"].as_array().cloned().unwrap_or_default());
            match page["nextAfter"].as_str() {
                Some(next) => after = Some(next.to_owned()),
                None => return out,
            }
        }
    }

    /// The catalog spoken to as an administrator.
    pub fn as_admin(&self) -> CatalogAdmin<'_> {
        CatalogAdmin {
            client: &self.client,
            address: &self.address,
            token: self.tokens.admin(),
        }
    }

    /// Creates a category as admin; returns its id.
    pub async fn create_category(&self, name: &str, parent_id: Option<&str>) -> String {
        self.as_admin().create_category(name, parent_id).await
    }

    /// Creates a product with one SKU per (name, price, stock) as admin;
    /// returns (product id, SKU ids).
    pub async fn create_product(
        &self,
        category_id: &str,
        name: &str,
        skus: &[(&str, i64, i64)],
    ) -> (String, Vec<String>) {
        self.as_admin()
            .create_product(category_id, name, skus)
            .await
    }

    /// A SKU's stock as the graph shows it (through the product detail).
    pub async fn stock_of(&self, product_id: &str, sku_id: &str) -> i64 {
        self.as_admin().stock_of(product_id, sku_id).await
    }
}
