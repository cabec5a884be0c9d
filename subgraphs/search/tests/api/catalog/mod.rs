//! Against a live catalog service seeded with its demo data: the first
//! fill, agreement with the catalog's own listing, reindex versus
//! incremental indexing, and the catalog's changes reaching the index.
//! Here: the search service on such a catalog and the waits its topics share.

mod agreement;
mod live_catalog;
mod reindex;
mod updates;

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, settings, spawn};
use live_catalog::LiveCatalog;

/// A search service on `catalog`; `fill` fills it from the catalog at start.
async fn spawn_search(catalog: &LiveCatalog, fill: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut settings = settings(&dir, &catalog.address).await;
    settings.internal_token = Some(catalog.token.clone());
    settings.reindex_on_empty = fill;
    settings.broker = Some(catalog.broker.clone());
    spawn(settings, dir).await
}

/// All ids a search finds, following the cursors.
async fn all_found(app: &TestApp, variables: Value) -> (Vec<String>, Value) {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    let mut first_page = Value::Null;
    loop {
        let mut vars = variables.clone();
        vars["first"] = json!(100);
        vars["after"] = after;
        let page = app.search(vars).await.expect("a search");
        ids.extend(
            page["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].as_str().unwrap_or_default().to_owned()),
        );
        if first_page.is_null() {
            first_page = page.clone();
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return (ids, first_page);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Waits until `app`'s index holds `count` documents; after `within`, fails
/// saying `what` did not happen.
async fn wait_for_count(app: &TestApp, count: u64, within: Duration, what: &str) {
    let deadline = std::time::Instant::now() + within;
    while app.index.count().await.expect("a count") < count {
        assert!(std::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
