//! Backends for tests. SQLite always; PostgreSQL, Redis and RabbitMQ when CI
//! switches them on (`TEST_DATABASE_URL`, `TEST_REDIS_URL`, `TEST_AMQP_URL`).
//! A switched-on backend that is missing fails the test; it never skips.

use std::fmt;

use anyhow::Context;
use sqlx::{Connection, Executor, PgConnection};

mod broker;
mod http;
mod poll;
mod proxied;
mod tokens;

pub use broker::test_broker;
pub use http::{error_code, graphql_request, http_client, post_graphql, status_type_and_json};
pub use poll::poll_until;
pub use proxied::{Proxied, proxied, through};
pub use tokens::{TestTokens, sign_token};

/// A database engine a storage test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestEngine {
    Sqlite,
    Postgres,
}

impl fmt::Display for TestEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        })
    }
}

/// The engines switched on: SQLite, plus PostgreSQL under `TEST_DATABASE_URL`.
pub fn engines() -> Vec<TestEngine> {
    let mut engines = vec![TestEngine::Sqlite];
    if crate::config::env_opt("TEST_DATABASE_URL").is_some() {
        engines.push(TestEngine::Postgres);
    }
    engines
}

/// The engine most tests run on: PostgreSQL when switched on, else SQLite.
pub fn default_engine() -> TestEngine {
    engines().last().copied().unwrap_or(TestEngine::Sqlite)
}

/// The URL of a new, empty database of `engine`, named uniquely.
pub async fn fresh_database_url(engine: TestEngine) -> anyhow::Result<String> {
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    match engine {
        TestEngine::Sqlite => {
            let dir = std::env::temp_dir().join("shopgraph-tests");
            std::fs::create_dir_all(&dir)?;
            Ok(format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            ))
        }
        TestEngine::Postgres => {
            let admin = crate::config::env_opt("TEST_DATABASE_URL")
                .context("TEST_DATABASE_URL is not set")?;
            let mut conn = PgConnection::connect(&admin).await.with_context(|| {
                format!("TEST_DATABASE_URL={admin} is switched on but unreachable")
            })?;
            conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
                .await?;
            let base = admin
                .rsplit_once('/')
                .map(|(base, _)| base)
                .context("TEST_DATABASE_URL has no database path")?;
            Ok(format!("{base}/{name}"))
        }
    }
}

/// The Redis URL when CI switches Redis on.
pub fn redis_url() -> Option<String> {
    crate::config::env_opt("TEST_REDIS_URL")
}

/// The RabbitMQ URL when CI switches RabbitMQ on.
pub fn amqp_url() -> Option<String> {
    crate::config::env_opt("TEST_AMQP_URL")
}

/// The Redis URL of a test that only runs with Redis switched on
/// (`#[cfg_attr(not(backend_redis), ignore = ..)]`): the cfg comes from
/// the same variable, so it is set whenever such a test runs.
pub fn required_redis_url() -> String {
    redis_url().expect("TEST_REDIS_URL is set: this test runs only with Redis switched on")
}

/// The RabbitMQ URL of a test that only runs with RabbitMQ switched on
/// (`#[cfg_attr(not(backend_rabbitmq), ignore = ..)]`).
pub fn required_amqp_url() -> String {
    amqp_url().expect("TEST_AMQP_URL is set: this test runs only with RabbitMQ switched on")
}
