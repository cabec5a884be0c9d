//! Failed logins are throttled per account and per client, before the
//! password hash is computed, on the in-process counters and on Redis.

use std::time::{Duration, Instant};

use platform::testing::{TestEngine, fresh_database_url, redis_url};
use serde_json::{Value, json};
use users::{LoginThrottleSettings, Settings};

use crate::helpers::{PASSWORD, TestApp, error_codes, spawn_with, unique_email};

const WINDOW: Duration = Duration::from_secs(60);

/// The counter backends to run on: in process, and Redis when switched on.
fn counter_backends() -> Vec<Option<String>> {
    let mut backends = vec![None];
    if let Some(url) = redis_url() {
        backends.push(Some(url));
    }
    backends
}

async fn spawn_throttled(
    redis: &Option<String>,
    per_account: u32,
    per_client: u32,
    trust_forwarded_for: bool,
) -> TestApp {
    let url = fresh_database_url(TestEngine::Sqlite)
        .await
        .expect("a test database");
    let mut settings = Settings::with_database(url);
    settings.redis_url = redis.clone();
    settings.login_throttle = LoginThrottleSettings {
        max_failures_per_account: per_account,
        max_failures_per_client: per_client,
        window: WINDOW,
        trust_forwarded_for,
        // Tests share one Redis and one client address.
        key_prefix: format!("test-{}:login", uuid::Uuid::new_v4().simple()),
    };
    spawn_with(settings).await
}

fn backend(redis: &Option<String>) -> &'static str {
    if redis.is_some() { "redis" } else { "memory" }
}

/// The throttle error's message and `retryAfter`, after asserting it is one.
fn throttled(response: &Value) -> (String, u64) {
    assert_eq!(error_codes(response), ["RATE_LIMITED"], "{response}");
    assert_eq!(response["data"]["login"], json!(null), "{response}");
    let error = &response["errors"][0];
    let retry_after = error["extensions"]["retryAfter"]
        .as_u64()
        .unwrap_or_else(|| panic!("no retryAfter: {response}"));
    assert!((1..=WINDOW.as_secs()).contains(&retry_after), "{response}");
    (
        error["message"].as_str().unwrap_or_default().to_owned(),
        retry_after,
    )
}

fn logged_in(response: &Value) -> bool {
    response["data"]["login"]["accessToken"].is_string()
}

#[tokio::test]
async fn an_account_out_of_failed_logins_is_refused_even_the_right_password() {
    for redis in counter_backends() {
        let on = backend(&redis);
        let app = spawn_throttled(&redis, 3, 100, false).await;
        let (email, _) = app.new_customer("victim").await;
        let (other, _) = app.new_customer("bystander").await;
        for _ in 0..3 {
            let wrong = app
                .login_from(&email, "wrong-password-1", "203.0.113.1")
                .await;
            assert_eq!(
                wrong["data"]["login"]["errors"][0]["code"], "INVALID_CREDENTIALS",
                "{on}"
            );
        }
        let refused = app.login_from(&email, PASSWORD, "203.0.113.1").await;
        let (message, _) = throttled(&refused);
        assert!(message.contains("for this account"), "{on}: {message}");
        // The email is counted as lookups see it, whatever its case.
        let shouted = app
            .login_from(&email.to_uppercase(), PASSWORD, "203.0.113.1")
            .await;
        throttled(&shouted);
        assert!(
            logged_in(&app.login_from(&other, PASSWORD, "203.0.113.1").await),
            "{on}"
        );
    }
}

#[tokio::test]
async fn a_successful_login_resets_the_accounts_failures() {
    for redis in counter_backends() {
        let on = backend(&redis);
        let app = spawn_throttled(&redis, 3, 100, false).await;
        let (email, _) = app.new_customer("forgetful").await;
        for _ in 0..2 {
            app.login_from(&email, "wrong-password-1", "203.0.113.2")
                .await;
        }
        assert!(
            logged_in(&app.login_from(&email, PASSWORD, "203.0.113.2").await),
            "{on}"
        );
        for _ in 0..2 {
            app.login_from(&email, "wrong-password-1", "203.0.113.2")
                .await;
        }
        assert!(
            logged_in(&app.login_from(&email, PASSWORD, "203.0.113.2").await),
            "{on}: two failures after a success are two, not four"
        );
    }
}

#[tokio::test]
async fn one_client_trying_many_accounts_is_throttled_and_another_client_is_not() {
    for redis in counter_backends() {
        let on = backend(&redis);
        let app = spawn_throttled(&redis, 100, 3, true).await;
        let (email, _) = app.new_customer("target").await;
        for _ in 0..3 {
            app.login_from(&unique_email("guess"), PASSWORD, "203.0.113.3")
                .await;
        }
        let refused = app.login_from(&email, PASSWORD, "203.0.113.3").await;
        let (message, _) = throttled(&refused);
        assert!(message.contains("from this address"), "{on}: {message}");
        assert!(
            logged_in(&app.login_from(&email, PASSWORD, "203.0.113.4").await),
            "{on}"
        );
    }
}

#[tokio::test]
async fn a_forwarded_address_is_ignored_unless_the_proxy_is_trusted() {
    let app = spawn_throttled(&None, 100, 3, false).await;
    let (email, _) = app.new_customer("spoofed").await;
    // Each attempt claims a new address; the peer is what is counted.
    for i in 0..3 {
        app.login_from(&unique_email("guess"), PASSWORD, &format!("198.51.100.{i}"))
            .await;
    }
    throttled(&app.login_from(&email, PASSWORD, "198.51.100.99").await);
}

#[tokio::test]
async fn a_refused_login_does_not_pay_for_a_password_hash() {
    let app = spawn_throttled(&None, 2, 100, false).await;
    let (email, _) = app.new_customer("flooded").await;
    let mut fastest_hash = Duration::MAX;
    for _ in 0..2 {
        let started = Instant::now();
        app.login_from(&email, "wrong-password-1", "203.0.113.5")
            .await;
        fastest_hash = fastest_hash.min(started.elapsed());
    }
    let mut fastest_refusal = Duration::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        throttled(
            &app.login_from(&email, "wrong-password-1", "203.0.113.5")
                .await,
        );
        fastest_refusal = fastest_refusal.min(started.elapsed());
    }
    // argon2 takes tens of milliseconds even optimised; a refusal only
    // reads a counter.
    assert!(
        fastest_refusal * 4 < fastest_hash,
        "a refusal took {fastest_refusal:?}, a checked password {fastest_hash:?}"
    );
}
