//! The Rust half of `fixtures/ws-clients/check.mjs`: the reference clients
//! (npm graphql-ws and subscriptions-transport-ws) against a router with
//! the test subgraphs, token verification on and legacy keep-alives every
//! 200 ms. Ignored in normal runs, since it needs Node and the clients
//! installed (`npm install` in fixtures/ws-clients).

use std::path::Path;

use router::config::WebSocketConfig;

use super::{verifying_router, with_websocket};

#[tokio::test]
#[ignore = "needs Node and `npm install` in router/tests/fixtures/ws-clients"]
async fn the_reference_clients_work_against_the_router() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ws-clients");
    assert!(
        dir.join("node_modules").is_dir(),
        "run `npm install` in {} first",
        dir.display()
    );
    let config = with_websocket(WebSocketConfig {
        keep_alive_interval_ms: 200,
        ..WebSocketConfig::default()
    });
    let (_subgraphs, router) = verifying_router(config).await;
    let url = format!("{}/graphql", router.base.replace("http://", "ws://"));
    let output = tokio::process::Command::new("node")
        .arg("check.mjs")
        .arg(&url)
        .current_dir(&dir)
        .output()
        .await
        .expect("node runs (is Node installed?)");
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    assert!(
        output.status.success(),
        "a reference client check failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
