//! Filling the index in full: the reindex command, a first start, and a
//! catalog that comes up late.

use std::time::Duration;

use platform::events::Event;
use search::domain::ProductDocument;
use serde_json::{Value, json};

use super::{
    live_catalog::{spawn_catalog, spawn_catalog_on},
    spawn_search, wait_for_count,
};
use crate::helpers::{TestApp, settings, spawn};

/// Search results compared across indexes: ids in order, totals, facets.
async fn results(app: &TestApp) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for query in [
        "手机",
        "smartphone",
        "Apple",
        "华为",
        "laptop",
        "耳机",
        "轻薄",
        "",
        "pro 256gb",
    ] {
        for sort in ["RELEVANCE", "PRICE_ASC", "NEWEST", "SALES"] {
            let page = app
                .search(json!({ "query": query, "sort": sort, "first": 100 }))
                .await
                .expect("a search");
            let summary = json!({
                "ids": page["nodes"], "total": page["totalCount"], "facets": page["facets"],
            });
            out.push((format!("{query}/{sort}"), summary));
        }
    }
    out
}

#[tokio::test]
async fn a_reindex_gives_the_same_results_as_incremental_indexing() {
    let catalog = spawn_catalog().await;
    let wire = catalog.wire_documents().await;
    let documents: Vec<ProductDocument> = wire.iter().cloned().map(Into::into).collect();

    // Incrementally: every product as the catalog's product.changed event.
    let incremental = spawn_search(&catalog, false).await;
    for document in &wire {
        let event = Event::new(
            contracts::events::product_changed::TOPIC,
            serde_json::to_value(document).expect("JSON"),
        );
        incremental
            .broker
            .publish(&event)
            .await
            .expect("publishing");
    }
    let active = documents.iter().filter(|d| d.is_searchable()).count() as u64;
    wait_for_count(
        &incremental,
        active,
        Duration::from_secs(60),
        "the events were not all applied",
    )
    .await;

    // In full, by the reindex command, into its own index.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut reindex_settings = settings(&dir, &catalog.address).await;
    reindex_settings.internal_token = Some(catalog.token.clone());
    let count = search::reindex(&reindex_settings)
        .await
        .expect("the reindex runs");
    assert_eq!(count, active);
    let rebuilt = spawn(reindex_settings, dir).await;

    let before = results(&incremental).await;
    let after = results(&rebuilt).await;
    for ((case, want), (_, got)) in before.iter().zip(&after) {
        assert_eq!(got, want, "{case}");
    }
    assert!(
        before
            .iter()
            .any(|(_, r)| r["total"].as_u64().unwrap_or_default() > 0)
    );
}

#[tokio::test]
async fn the_reindex_command_asks_the_running_service_that_holds_the_index() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, false).await;
    assert_eq!(app.index.count().await.expect("a count"), 0);
    let mut settings = app.settings.clone();
    settings.broker = None;
    if settings.elasticsearch_url.is_some() {
        // Elasticsearch has no lock to hold: the command rebuilds directly.
        settings.elasticsearch_url = None;
    }
    let count = search::reindex(&settings).await.expect("the reindex runs");
    let active = catalog.searchable_count().await;
    assert_eq!(count, active);
    assert_eq!(app.index.count().await.expect("a count"), active);

    let response = reqwest::Client::new()
        .post(format!("{}/internal/reindex", app.address))
        .header("x-internal-token", "wrong")
        .send()
        .await
        .expect("the service answers");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn an_empty_index_fills_once_a_late_catalog_comes_up() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut search_settings = settings(&dir, &format!("http://127.0.0.1:{port}")).await;
    search_settings.reindex_on_empty = true;
    let token = format!("internal-{}", uuid::Uuid::new_v4().simple());
    search_settings.internal_token = Some(token.clone());
    let started = std::time::Instant::now();
    let app = spawn(search_settings, dir).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the build waited for the catalog"
    );
    assert_eq!(app.index.count().await.expect("a count"), 0);

    let catalog = spawn_catalog_on(port, token).await;
    let active = catalog.searchable_count().await;
    wait_for_count(
        &app,
        active,
        Duration::from_secs(20),
        "the index was not filled",
    )
    .await;
}
