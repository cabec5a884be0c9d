//! Reloading without restart: a changed supergraph file or router.yaml is
//! served within seconds; a broken one is ignored and the old one kept.

use std::time::{Duration, Instant};

use router::{RouterConfig, Settings};

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
