//! `shopgraph router --supergraph FILE --config FILE` as deployed: a child
//! process started in an empty directory, so the files it serves can only
//! come from its flags, not from the defaults beside the repository.

use std::{
    net::TcpListener,
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::process::Command;

#[tokio::test]
async fn the_router_command_serves_the_files_its_flags_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A free port: the listener is dropped so the router can bind it.
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let mut router = Command::new(env!("CARGO_BIN_EXE_shopgraph"))
        .arg("router")
        .arg("--supergraph")
        .arg(root.join("schema/supergraph.graphql"))
        .arg("--config")
        .arg(root.join("router-config/router.production.yaml"))
        .env_clear()
        .env("LISTEN_ADDR", addr.to_string())
        .env("RUST_LOG", "warn")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("shopgraph router starts");
    let url = format!("http://{addr}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while !http
        .get(format!("{url}/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        if let Ok(Some(status)) = router.try_wait() {
            panic!("shopgraph router exited with {status} while starting");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "shopgraph router did not become healthy in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The production router.yaml switches introspection off: answered
    // before any subgraph is asked, so none needs to run.
    let introspection = json!({ "query": "{ __schema { queryType { name } } }" });
    let answer = http
        .post(format!("{url}/graphql"))
        .json(&introspection)
        .send();
    let answer = answer.await.expect("an answer");
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INTROSPECTION_DISABLED",
        "{body}"
    );
}
