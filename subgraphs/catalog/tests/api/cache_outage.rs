//! Redis going away (a TCP proxy in front of the real one, cut) slows
//! nothing down and serves nothing stale: reads fall through to the
//! database, and invalidations missed during the outage are made up before
//! the keys are read from Redis again.

use platform::{
    auth::SigningKey,
    testing::{Proxied, proxied, required_redis_url},
};
use serde_json::json;

use crate::helpers::{default_engine, settings, spawn_with};

/// Only meaningful on Redis: the in-process cache cannot go away.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn a_redis_outage_serves_fresh_data_and_catches_up_after() {
    let url = required_redis_url();
    let Proxied {
        url: through_proxy,
        proxy,
    } = proxied(&url).await.expect("the proxy starts");
    let database_url = platform::testing::fresh_database_url(default_engine())
        .await
        .expect("a database");
    let key = SigningKey::generate().expect("a key");
    let mut settings = settings(&database_url, &key, false);
    settings.redis_url = Some(through_proxy);
    let app = spawn_with(settings, key).await;

    let category = app.create_category("数码", None).await;
    let (product, skus) = app
        .create_product(&category, "Phone", &[("128GB", 199900, 10)])
        .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 10); // now cached in Redis

    proxy.cut();
    let adjust =
        "mutation($sku: ID!, $d: Int!) { adjustStock(skuId: $sku, delta: $d) { sku { stock } } }";
    let started = std::time::Instant::now();
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "d": -3 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 7);
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        7,
        "fresh from the database"
    );
    let tree = app.data("{ categories { id } }", json!({}), None).await;
    assert_eq!(tree["categories"][0]["id"], category.as_str());
    assert!(
        started.elapsed().as_secs() < 10,
        "an outage does not stall requests"
    );

    proxy.restore();
    // The entry cached before the outage (stock 10) is never served again:
    // not while the app reconnects, and not once Redis holds a fresh entry.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        assert_eq!(app.stock_of(&product, &skus[0]).await, 7);
        let cached = cached_detail(&url, &product).await;
        if cached.as_deref().is_some_and(|c| c.contains("\"stock\":7")) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the app never cached again: {cached:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "d": 1 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 8);
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);
}

/// The product detail the app keeps in Redis, read directly.
async fn cached_detail(url: &str, product_id: &str) -> Option<String> {
    let client = redis::Client::open(url).ok()?;
    let mut conn = client.get_multiplexed_async_connection().await.ok()?;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("catalog:*:product:{product_id}"))
        .query_async(&mut conn)
        .await
        .ok()?;
    let key = keys.first()?;
    redis::cmd("GET").arg(key).query_async(&mut conn).await.ok()
}
