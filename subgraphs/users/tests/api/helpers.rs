//! `spawn_app` and typed request helpers.

use platform::testing::{TestEngine, engines, fresh_database_url, graphql_request};
use reqwest::StatusCode;
use serde_json::{Value, json};
use users::{App, Settings};

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    client: reqwest::Client,
}

/// The engines to run each storage test on.
pub fn all_engines() -> Vec<TestEngine> {
    engines()
}

/// Starts the service on a free port against a new, empty database.
pub async fn spawn_app(engine: TestEngine) -> TestApp {
    let database_url = fresh_database_url(engine)
        .await
        .expect("a fresh test database");
    spawn_app_on(database_url, false).await
}

/// Starts the service on `database_url` (which may already hold data).
pub async fn spawn_app_on(database_url: String, seed_demo: bool) -> TestApp {
    let mut settings = Settings::with_database(database_url);
    settings.seed_demo = seed_demo;
    spawn_with(settings).await
}

/// Starts the service with `settings`.
pub async fn spawn_with(settings: Settings) -> TestApp {
    platform::telemetry::init_test_tracing();
    let database_url = settings.database_url.clone();
    let app = App::build(settings).await.expect("the app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        base,
        database_url,
        client: reqwest::Client::new(),
    }
}

pub fn unique_email(tag: &str) -> String {
    format!("{tag}-{}@example.com", uuid::Uuid::new_v4().simple())
}

pub const PASSWORD: &str = "s3cret-pass";

/// An anonymous caller (signing up, logging in) sees only the public
/// fields of the user in the payload; the private ones need the new token.
pub const AUTH_FIELDS: &str =
    "accessToken expiresIn refreshToken user { id name } errors { code field message }";

/// A signed-in user's tokens.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: String,
    pub access: String,
    pub refresh: String,
}

impl Session {
    pub fn from_payload(payload: &Value) -> Self {
        assert_eq!(
            payload["errors"],
            json!([]),
            "expected a session: {payload}"
        );
        Self {
            user_id: payload["user"]["id"].as_str().expect("user id").to_owned(),
            access: payload["accessToken"]
                .as_str()
                .expect("access token")
                .to_owned(),
            refresh: payload["refreshToken"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        }
    }
}

/// The codes of a payload's `errors`.
pub fn codes(payload: &Value) -> Vec<String> {
    payload["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors list in {payload}"))
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The `extensions.code` of every GraphQL error in a response.
pub fn error_codes(response: &Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

impl TestApp {
    /// POSTs a GraphQL request, with `Authorization` when `header` is given.
    pub async fn post(
        &self,
        query: &str,
        variables: Value,
        header: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = graphql_request(&self.client, &self.base, query, variables, None);
        if let Some(header) = header {
            request = request.header("Authorization", header);
        }
        let response = request.send().await.expect("the request is sent");
        let status = response.status();
        (status, response.json().await.expect("a JSON body"))
    }

    /// `login` as a client the proxy in front says is `forwarded_for`: the
    /// whole response, GraphQL errors included.
    pub async fn login_from(&self, email: &str, password: &str, forwarded_for: &str) -> Value {
        graphql_request(
            &self.client,
            &self.base,
            &format!(
                "mutation($input: LoginInput!) {{ login(input: $input) {{ {AUTH_FIELDS} }} }}"
            ),
            json!({ "input": { "email": email, "password": password } }),
            None,
        )
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .expect("the request is sent")
        .json()
        .await
        .expect("a JSON body")
    }

    /// A GraphQL request as `token`'s holder (or anonymous), expecting 200.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let header = token.map(|t| format!("Bearer {t}"));
        let (status, body) = self.post(query, variables, header.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn sign_up(&self, email: &str, name: &str, password: &str) -> Value {
        let query = format!(
            "mutation($input: SignUpInput!) {{ signUp(input: $input) {{ {AUTH_FIELDS} }} }}"
        );
        let body = self
            .gql(
                &query,
                json!({ "input": { "email": email, "name": name, "password": password } }),
                None,
            )
            .await;
        body["data"]["signUp"].clone()
    }

    /// Signs up a fresh customer and returns its session.
    pub async fn new_customer(&self, tag: &str) -> (String, Session) {
        let email = unique_email(tag);
        let session = Session::from_payload(&self.sign_up(&email, tag, PASSWORD).await);
        (email, session)
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        let query =
            format!("mutation($input: LoginInput!) {{ login(input: $input) {{ {AUTH_FIELDS} }} }}");
        let body = self
            .gql(
                &query,
                json!({ "input": { "email": email, "password": password } }),
                None,
            )
            .await;
        body["data"]["login"].clone()
    }

    pub async fn refresh(&self, refresh_token: &str) -> Value {
        let query = format!(
            "mutation($token: String!) {{ refreshToken(refreshToken: $token) {{ {AUTH_FIELDS} }} }}"
        );
        let body = self
            .gql(&query, json!({ "token": refresh_token }), None)
            .await;
        body["data"]["refreshToken"].clone()
    }

    pub async fn logout(&self, refresh_token: &str) -> Value {
        let body = self
            .gql(
                "mutation($token: String!) { logout(refreshToken: $token) { ok errors { code } } }",
                json!({ "token": refresh_token }),
                None,
            )
            .await;
        body["data"]["logout"].clone()
    }

    pub async fn me(&self, token: &str) -> Value {
        self.gql(
            "{ me { id name email role frozen addresses { id isDefault city } } }",
            json!({}),
            Some(token),
        )
        .await
    }

    /// Signs in the demo admin (the app must have been seeded).
    pub async fn admin(&self) -> Session {
        Session::from_payload(
            &self
                .login(users::DEMO_ADMIN_EMAIL, users::DEMO_ADMIN_PASSWORD)
                .await,
        )
    }
}

/// Starts the service on a new database with the demo accounts seeded.
pub async fn spawn_seeded_app(engine: TestEngine) -> TestApp {
    let database_url = fresh_database_url(engine)
        .await
        .expect("a fresh test database");
    spawn_app_on(database_url, true).await
}

impl TestApp {
    /// A counter from `GET /metrics`.
    pub async fn counter(&self, name: &str) -> u64 {
        let text = self
            .get("/metrics")
            .await
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no counter {name} in {text}"))
    }
}
