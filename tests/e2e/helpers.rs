//! The whole platform for one test, and typed ways to talk to its router.
//!
//! Every test starts its own stack (four subgraphs and the router, each on an
//! ephemeral port, each subgraph on a fresh database) so tests share nothing
//! mutable. The backends follow the CI switches: PostgreSQL under
//! `TEST_DATABASE_URL`, Redis under `TEST_REDIS_URL`, RabbitMQ under
//! `TEST_AMQP_URL`; SQLite and in-process otherwise.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use platform::testing::{self, TestEngine};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shopgraph::stack::{DatabaseUrls, Stack, StackOptions};

pub const CUSTOMER_EMAIL: &str = users::DEMO_CUSTOMER_EMAIL;
pub const CUSTOMER_PASSWORD: &str = users::DEMO_CUSTOMER_PASSWORD;
pub const ADMIN_EMAIL: &str = users::DEMO_ADMIN_EMAIL;
pub const ADMIN_PASSWORD: &str = users::DEMO_ADMIN_PASSWORD;

/// The path of a file in the repository.
pub fn repo_path(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub struct TestPlatform {
    /// Dropping it stops every service.
    pub stack: Stack,
    pub databases: DatabaseUrls,
    client: reqwest::Client,
    /// The search index; removed when the platform is dropped (after the
    /// stack, so the services stop first).
    _index_dir: tempfile::TempDir,
}

/// A router response: the HTTP status and the JSON body.
#[derive(Debug)]
pub struct GraphQLResponse {
    pub status: StatusCode,
    pub body: Value,
    /// The `Retry-After` header, when there is one.
    pub retry_after: Option<String>,
}

impl GraphQLResponse {
    /// `data`, after asserting a 200 without errors.
    pub fn data(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        assert!(self.body.get("errors").is_none(), "{}", self.body);
        &self.body["data"]
    }

    /// The `extensions.code` of every error.
    pub fn error_codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestPlatform {
    /// Starts the whole platform, seeded with the demo data, with the
    /// checked-in router.yaml, and waits until the router answers.
    pub async fn spawn() -> TestPlatform {
        // The checked-in router.yaml, so its limits are what is tested.
        let mut router_config = router::RouterConfig::load(&repo_path("router-config/router.yaml"))
            .expect("router-config/router.yaml loads");
        // Rate-limit buckets of this router only, should it keep them in a
        // Redis other routers (tests running alongside) use too.
        router_config.rate_limits.key_prefix =
            format!("e2e-{}:rate", uuid::Uuid::new_v4().simple());
        Self::spawn_with(router_config).await
    }

    /// Like [`TestPlatform::spawn`], with the router configured by `router_config`.
    pub async fn spawn_with(router_config: router::RouterConfig) -> TestPlatform {
        let engine = if platform::config::env_opt("TEST_DATABASE_URL").is_some() {
            TestEngine::Postgres
        } else {
            TestEngine::Sqlite
        };
        let started = Instant::now();
        let databases = DatabaseUrls {
            users: fresh(engine).await,
            catalog: fresh(engine).await,
            orders: fresh(engine).await,
            search: fresh(engine).await,
        };
        let index_dir = tempfile::tempdir().expect("a temporary directory");
        let stack = Stack::start(StackOptions {
            base_port: 0,
            databases: databases.clone(),
            redis_url: testing::redis_url(),
            amqp_url: testing::amqp_url(),
            seed_demo: true,
            router_config,
            search_index_dir: Some(index_dir.path().to_owned()),
            // Stacks running side by side on one RabbitMQ must not consume
            // each other's messages, nor leave their queues behind.
            queue_namespace: Some(format!("e2e-{}", uuid::Uuid::new_v4().simple())),
            queue_expiry: Some(Duration::from_secs(120)),
            // The payment tests let the sandbox provider confirm, as a
            // real provider would after the buyer paid.
            sandbox_auto_confirm: Some(true),
        })
        .await
        .unwrap_or_else(|e| panic!("the platform starts: {e:#}"));
        let platform = TestPlatform {
            stack,
            databases,
            client: reqwest::Client::new(),
            _index_dir: index_dir,
        };
        let health = platform
            .client
            .get(platform.router_url("/health"))
            .send()
            .await
            .expect("the router answers /health");
        assert!(health.status().is_success(), "{}", health.status());
        eprintln!(
            "platform ({engine}) up in {:.1}s",
            started.elapsed().as_secs_f64()
        );
        platform
    }

    pub fn router_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.stack.router_port)
    }

    pub fn websocket_url(&self) -> String {
        format!("ws://127.0.0.1:{}/graphql", self.stack.router_port)
    }

    /// POSTs one GraphQL operation to the router.
    pub async fn graphql(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> GraphQLResponse {
        let body = json!({ "query": query, "variables": variables });
        self.post_json(&body, token).await
    }

    /// POSTs any JSON body to the router's `/graphql`.
    pub async fn post_json(&self, body: &Value, token: Option<&str>) -> GraphQLResponse {
        self.post_raw(body.to_string().into_bytes(), token).await
    }

    /// POSTs raw bytes as `application/json` to the router's `/graphql`.
    pub async fn post_raw(&self, body: Vec<u8>, token: Option<&str>) -> GraphQLResponse {
        let mut request = self
            .client
            .post(self.router_url("/graphql"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the router answers");
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the router answered {status} with non-JSON ({e}): {text}"));
        GraphQLResponse {
            status,
            body,
            retry_after,
        }
    }

    /// Logs in through the router; returns the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let response = self
            .graphql(
                "mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code message } } }",
                json!({ "input": { "email": email, "password": password } }),
                None,
            )
            .await;
        let login = &response.data()["login"];
        assert_eq!(login["errors"], json!([]), "{login}");
        login["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("no access token: {login}"))
            .to_owned()
    }

    pub async fn customer_token(&self) -> String {
        self.login(CUSTOMER_EMAIL, CUSTOMER_PASSWORD).await
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Signs a new customer up through the router; returns (user id, token).
    pub async fn sign_up(&self, email: &str, name: &str, password: &str) -> (String, String) {
        let response = self
            .graphql(
                "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } errors { code field message } } }",
                json!({ "input": { "email": email, "name": name, "password": password } }),
                None,
            )
            .await;
        let payload = &response.data()["signUp"];
        assert_eq!(payload["errors"], json!([]), "{payload}");
        let id = payload["user"]["id"]
            .as_str()
            .expect("a user id")
            .to_owned();
        let token = payload["accessToken"].as_str().expect("a token").to_owned();
        (id, token)
    }

    /// A product in stock from the catalog's first page (newest first), with
    /// the id of its first SKU in stock.
    pub async fn product_in_stock(&self) -> (String, String) {
        let response = self
            .graphql(
                "{ products(first: 20, filter: { inStock: true }) { nodes { id skus { id stock } } } }",
                json!({}),
                None,
            )
            .await;
        let nodes = response.data()["products"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        nodes
            .iter()
            .find_map(|product| {
                let sku = product["skus"]
                    .as_array()?
                    .iter()
                    .find(|sku| sku["stock"].as_i64().unwrap_or(0) >= 5)?;
                Some((
                    product["id"].as_str()?.to_owned(),
                    sku["id"].as_str()?.to_owned(),
                ))
            })
            .unwrap_or_else(|| panic!("no product in stock: {}", response.body))
    }

    /// Asserts the router still answers a plain query.
    pub async fn assert_serving(&self) {
        let response = self.graphql("{ categories { id } }", json!({}), None).await;
        assert!(
            response.data()["categories"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{}",
            response.body
        );
    }
}

async fn fresh(engine: TestEngine) -> String {
    testing::fresh_database_url(engine)
        .await
        .unwrap_or_else(|e| panic!("a fresh {engine} database: {e:#}"))
}

/// An address in the shape `placeOrder` takes.
pub fn shipping_address() -> Value {
    json!({
        "recipient": "张三",
        "phone": "+86 138 0000 0000",
        "line1": "1 Century Avenue",
        "city": "Shanghai",
        "postalCode": "200120",
        "country": "CN"
    })
}
