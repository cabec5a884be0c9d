//! `spawn_app`: a real catalog and the orders service on port 0, each on a
//! fresh database, sharing one signing key and internal token, on the
//! backends switched on (embedded by default), plus typed request helpers.
//! Here: the app and its options; the rest by what they ask.

mod catalog_requests;
mod order_requests;
mod replicas;
mod spawn;
mod subscriber;

use std::{sync::Arc, time::Duration};

use orders::Settings;
use platform::{
    events::{Broker, proxy::TcpProxy},
    testing::{TestEngine, TestTokens, amqp_url, default_engine, post_graphql, redis_url},
};
use serde_json::{Value, json};

pub use replicas::Replica;
pub use spawn::{spawn_app, spawn_with};

pub const WEBHOOK_SECRET: &str = "test-webhook-secret";

/// How a test wants the orders service set up.
pub struct Options {
    pub engine: TestEngine,
    pub payment_timeout: Duration,
    pub auto_confirm: bool,
    /// Connect the orders service to RabbitMQ through this URL instead
    /// (a proxy the test can cut).
    pub amqp_url: Option<String>,
    /// Connect the orders service to Redis through this URL instead.
    pub redis_url: Option<String>,
    /// Put a TCP proxy the test can cut between the orders service and
    /// the catalog (`TestApp::catalog_proxy`).
    pub catalog_proxy: bool,
    /// How long an admitted flash-sale order may stay queued before
    /// reconciliation gives up on it.
    pub flash_queue_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            engine: default_engine(),
            payment_timeout: Duration::from_secs(1800),
            auto_confirm: true,
            amqp_url: amqp_url(),
            redis_url: redis_url(),
            catalog_proxy: false,
            flash_queue_timeout: Duration::from_secs(600),
        }
    }
}

pub struct Catalog {
    pub address: String,
    pub internal_token: String,
    /// Its settings, for starting replicas on the same database.
    pub settings: catalog::Settings,
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub catalog: Catalog,
    /// The users service (address books).
    pub users_address: String,
    pub client: reqwest::Client,
    /// The broker the orders service uses (in-process), or another
    /// connection to the same RabbitMQ.
    pub broker: Arc<dyn Broker>,
    pub queue_namespace: String,
    /// Between the orders service and the catalog, when asked for.
    pub catalog_proxy: Option<TcpProxy>,
    /// The orders service's settings, for starting replicas.
    pub settings: Settings,
    /// Signed with the key the services trust.
    pub tokens: TestTokens,
}

/// A shipping address that passes validation.
pub fn address() -> Value {
    json!({ "recipient": "张三", "phone": "+86 138 0000 0000", "line1": "1 Century Avenue",
            "city": "上海", "postalCode": "200120", "country": "CN" })
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub const ORDER_FIELDS: &str = "id number status total { amount currency } stockReleased \
    cancelReason trackingNumber items { skuId productName skuName quantity \
    unitPrice { amount currency } lineTotal { amount } product { id } } \
    shippingAddress { recipient city country } payments { id status callbacks }";

impl TestApp {
    async fn post_graphql(
        &self,
        base: &str,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> Value {
        post_graphql(&self.client, base, query, variables, token)
            .await
            .expect("a JSON response")
    }

    /// POST /graphql to the orders service; the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.post_graphql(&self.address, query, variables, token)
            .await
    }

    /// `data` of an orders response that must not carry errors.
    pub async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self.graphql(query, variables, token).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }
}
