//! The GraphQL-over-HTTP reference audit (npm `graphql-http`, `auditServer`)
//! against the router. Ignored in normal runs because it needs Node and the
//! audit installed: `router/tests/fixtures/graphql-http-audit/run.sh` does both.

use std::{collections::BTreeSet, path::Path};

use serde_json::Value;

use crate::helpers::{TestRouter, TestSubgraphs};

/// The SHOULDs the router does not meet, on purpose: under
/// `application/json` it answers parse, validation and variable-coercion
/// failures with 400 rather than 200, as Apollo Router and Apollo Server do
/// (see `platform::graphql_http::ResponseMedia::status` for why).
const DELIBERATE_WARNINGS: [&str; 3] = ["572B", "FDE2", "7B9B"];

#[tokio::test]
#[ignore = "needs Node and the audit: run router/tests/fixtures/graphql-http-audit/run.sh"]
async fn the_router_passes_the_graphql_over_http_audit() {
    let audit_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graphql-http-audit");
    assert!(
        audit_dir.join("node_modules/graphql-http").is_dir(),
        "the audit is not installed: run {}/run.sh",
        audit_dir.display()
    );
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    let output = tokio::process::Command::new("node")
        .arg(audit_dir.join("audit.mjs"))
        .arg(router.graphql_url())
        .output()
        .await
        .expect("node runs (is Node installed?)");
    assert!(
        output.status.success(),
        "the audit failed to run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON result per line"))
        .collect();
    let with_status = |status: &str| -> BTreeSet<String> {
        results
            .iter()
            .filter(|r| r["status"] == status)
            .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    for result in results.iter().filter(|r| r["status"] != "ok") {
        println!("{result}");
    }
    println!(
        "{} audits: {} ok, {} notices, {} warnings, {} errors",
        results.len(),
        with_status("ok").len(),
        with_status("notice").len(),
        with_status("warn").len(),
        with_status("error").len()
    );
    assert!(results.len() >= 60, "the audit ran only {}", results.len());
    assert_eq!(with_status("error"), BTreeSet::new(), "MUSTs failed");
    assert_eq!(
        with_status("warn"),
        DELIBERATE_WARNINGS
            .iter()
            .map(|id| id.to_string())
            .collect(),
        "SHOULDs failed"
    );
    assert_eq!(with_status("notice"), BTreeSet::new(), "MAYs failed");
}
