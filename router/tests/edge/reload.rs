//! Reloading without restart: a changed supergraph file or router.yaml is
//! served within seconds; a broken one is ignored and the old one kept.

use std::time::{Duration, Instant};

use router::{RouterConfig, Settings};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    helpers::{Answer, TempDir, TestRouter, spawn_shop, supergraph},
    shop,
};

const FEATURED: &str = "{ featured { name } }";

/// Asks until `done` holds, for at most ten seconds (the files are polled
/// every second).
async fn eventually(router: &TestRouter, query: &str, done: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = router.ask(None, query).await;
        if done(&answer) || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Longer than two polls: a change would have been picked up.
async fn two_polls() {
    tokio::time::sleep(Duration::from_millis(2500)).await;
}

#[tokio::test]
async fn a_changed_supergraph_is_served_without_restart_and_a_broken_one_is_ignored() {
    let shop = spawn_shop().await;
    let dir = TempDir::new();
    let path = dir.file("supergraph.graphql");
    let v1 = supergraph(&shop, shop::v1_sdl());
    std::fs::write(&path, &v1).expect("write v1");
    let mut settings = Settings::new(v1.clone());
    settings.supergraph_path = Some(path.clone());
    let router = TestRouter::start(settings).await;

    let before = router.ask(None, FEATURED).await;
    assert_eq!(before.status, 400, "{before:?}");
    assert_eq!(before.code(), Some("GRAPHQL_VALIDATION_FAILED"));

    std::fs::write(&path, supergraph(&shop, shop::v2_sdl())).expect("write v2");
    let after = eventually(&router, FEATURED, |a| a.status == 200).await;
    assert_eq!(after.status, 200, "{after:?}");
    assert_eq!(after.body["data"]["featured"]["name"], "Kettle");

    std::fs::write(&path, "type Query {").expect("write garbage");
    two_polls().await;
    let kept = router.ask(None, FEATURED).await;
    assert_eq!(kept.status, 200, "{kept:?}");
    assert_eq!(kept.body["data"]["featured"]["name"], "Kettle");

    // Still watching: a good file after the broken one is served.
    std::fs::write(&path, &v1).expect("write v1 again");
    let back = eventually(&router, FEATURED, |a| a.status == 400).await;
    assert_eq!(back.code(), Some("GRAPHQL_VALIDATION_FAILED"), "{back:?}");
}

#[tokio::test]
async fn a_changed_router_yaml_applies_without_restart_and_a_broken_one_is_ignored() {
    let shop = spawn_shop().await;
    let dir = TempDir::new();
    let path = dir.file("router.yaml");
    let initial = "introspection: true\n";
    std::fs::write(&path, initial).expect("write config");
    let mut settings = Settings::new(supergraph(&shop, shop::v2_sdl()));
    settings.config = RouterConfig::parse(initial).expect("config");
    settings.config_path = Some(path.clone());
    let router = TestRouter::start(settings).await;
    let browse = "{ products { id } }";
    for _ in 0..3 {
        assert_eq!(router.ask(None, browse).await.status, 200);
    }

    let limited = "rate_limits:
  enabled: true
  classes:
    browse:
      operation_types: [query]
      per_client: {capacity: 1, refill_per_second: 0.01}
";
    std::fs::write(&path, limited).expect("write limits");
    let shed = eventually(&router, browse, |a| a.status == 429).await;
    assert_eq!(shed.code(), Some("RATE_LIMITED"), "{shed:?}");

    std::fs::write(&path, "rate_limits:\n  enable: false\n").expect("write typo");
    two_polls().await;
    assert_eq!(router.ask(None, browse).await.status, 429);

    std::fs::write(&path, initial).expect("write without limits");
    let open = eventually(&router, browse, |a| a.status == 200).await;
    assert_eq!(open.body["data"]["products"][1]["id"], "p2", "{open:?}");
}

#[tokio::test]
async fn a_reload_keeps_the_request_counters_and_the_persisted_queries() {
    let shop = spawn_shop().await;
    let dir = TempDir::new();
    let path = dir.file("router.yaml");
    std::fs::write(&path, "introspection: true\n").expect("write config");
    let mut settings = Settings::new(supergraph(&shop, shop::v2_sdl()));
    settings.config_path = Some(path.clone());
    let router = TestRouter::start(settings).await;
    let counted = "query Counted { products { id } }";
    let hash = hex::encode(Sha256::digest(counted.as_bytes()));
    let by_hash = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let registered = post(&router, json!({ "query": counted, "extensions": by_hash })).await;
    assert_eq!(
        registered["data"]["products"][0]["id"], "p1",
        "{registered}"
    );

    std::fs::write(&path, "introspection: false\n").expect("write config");
    let introspection = "{ __schema { queryType { name } } }";
    let reloaded = eventually(&router, introspection, |a| a.status == 400).await;
    assert_eq!(
        reloaded.code(),
        Some("INTROSPECTION_DISABLED"),
        "{reloaded:?}"
    );

    let by_hash_alone = post(&router, json!({ "extensions": by_hash })).await;
    assert_eq!(
        by_hash_alone["data"]["products"][0]["id"], "p1",
        "{by_hash_alone}"
    );
    let metrics_url = router.url.replace("/graphql", "/metrics");
    let metrics = router
        .client
        .get(metrics_url)
        .send()
        .await
        .expect("metrics");
    let metrics = metrics.text().await.expect("text");
    let counted = |l: &&str| l.starts_with("router_requests_total") && l.contains("\"Counted\"");
    let counter = metrics.lines().find(counted);
    let counter = counter.unwrap_or_else(|| panic!("no Counted requests in\n{metrics}"));
    assert!(
        counter.ends_with(" 2"),
        "one before the reload, one after: {counter}"
    );
}

/// The JSON body of the router's answer to `body`.
async fn post(router: &TestRouter, body: Value) -> Value {
    let response = router.client.post(&router.url).json(&body).send().await;
    response.expect("answer").json().await.expect("JSON")
}
