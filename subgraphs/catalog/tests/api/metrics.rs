//! `GET /metrics`: the Prometheus text format, counting what this instance
//! did (each App has its own registry, so the counts are exact).

use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

async fn scrape(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("the request is sent");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    response.text().await.expect("a text body")
}

/// The value of the sample `series` (name and labels exactly as exposed),
/// 0 when absent (a labelled counter appears on its first increment).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().expect("a number"))
}

#[tokio::test]
async fn metrics_count_requests_cache_loaders_filter_and_stock() {
    let app = spawn_app().await;
    let category = app.create_category("Tea", None).await;
    let (product, skus) = app
        .create_product(&category, "龙井 Longjing", &[("250g", 12800, 2)])
        .await;
    // A write deletes the cache entry again half a second later (against
    // a racing stale read); let that pass so the hit below stays a hit.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let before = scrape(&app).await;
    assert!(before.contains("# TYPE catalog_http_requests_total counter"));
    let graphql_ok = "catalog_http_requests_total{route=\"/graphql\",status=\"200\"}";
    let before_requests = value(&before, graphql_ok);
    assert!(before_requests >= 2.0, "the setup's requests: {before}");

    // The product detail: loaded once, then served from the cache.
    let detail = "query($id: ID!) { product(id: $id) { id } }";
    for _ in 0..2 {
        app.data(detail, json!({ "id": product }), None).await;
    }
    // A made-up id stops at the Bloom filter.
    let unknown = uuid::Uuid::new_v4().to_string();
    let data = app.data(detail, json!({ "id": unknown }), None).await;
    assert_eq!(data["product"], serde_json::Value::Null);
    // A listing with SKUs: one SKU batch for the whole page.
    app.data(
        "{ products(first: 10) { edges { node { id skus { id } } } } }",
        json!({}),
        None,
    )
    .await;

    // Reservations: new, repeated, refused for stock and for a SKU; then a
    // release, once and again; then the released order reserving again.
    let reserve = |order: &str, sku: &str, quantity: i64| json!({ "orderId": order, "lines": [{ "skuId": sku, "quantity": quantity }] });
    let statuses = [
        app.internal_post("/internal/stock/reserve", reserve("o-1", &skus[0], 1))
            .await
            .0,
        app.internal_post("/internal/stock/reserve", reserve("o-1", &skus[0], 1))
            .await
            .0,
        app.internal_post("/internal/stock/reserve", reserve("o-2", &skus[0], 5))
            .await
            .0,
        app.internal_post("/internal/stock/reserve", reserve("o-3", "no-such-sku", 1))
            .await
            .0,
        app.internal_post("/internal/stock/release", json!({ "orderId": "o-1" }))
            .await
            .0,
        app.internal_post("/internal/stock/release", json!({ "orderId": "o-1" }))
            .await
            .0,
        app.internal_post("/internal/stock/reserve", reserve("o-1", &skus[0], 1))
            .await
            .0,
    ];
    assert_eq!(statuses, [200, 200, 409, 404, 200, 200, 200]);

    let after = scrape(&app).await;
    let delta = |series: &str| value(&after, series) - value(&before, series);
    assert_eq!(delta(graphql_ok), 4.0, "four GraphQL requests");
    assert_eq!(
        delta("catalog_http_requests_total{route=\"/internal/stock/reserve\",status=\"409\"}"),
        1.0
    );
    assert_eq!(
        delta("catalog_cache_lookups_total{kind=\"product\",outcome=\"miss\"}"),
        1.0
    );
    assert_eq!(
        delta("catalog_cache_lookups_total{kind=\"product\",outcome=\"hit\"}"),
        1.0
    );
    assert_eq!(delta("catalog_product_filter_rejections_total"), 1.0);
    assert_eq!(
        delta("catalog_loader_batches_total{loader=\"skus_by_product\"}"),
        1.0
    );
    assert_eq!(
        delta("catalog_loader_keys_total{loader=\"skus_by_product\"}"),
        1.0,
        "one product listed"
    );
    for (outcome, count) in [
        ("reserved", 1.0),
        ("reserved_again", 1.0),
        ("repeated", 1.0),
        ("refused_out_of_stock", 1.0),
        ("refused_unknown_sku", 1.0),
    ] {
        let series = format!("catalog_stock_reservations_total{{outcome=\"{outcome}\"}}");
        assert_eq!(delta(&series), count, "{series}");
    }
    for (outcome, count) in [("released", 1.0), ("repeated", 1.0)] {
        let series = format!("catalog_stock_releases_total{{outcome=\"{outcome}\"}}");
        assert_eq!(delta(&series), count, "{series}");
    }
}
