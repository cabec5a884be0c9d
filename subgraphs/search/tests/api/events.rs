//! Incremental indexing from `product.changed` events, through the broker.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use contracts::events::product_changed;
use platform::events::{AmqpBroker, Broker, Event};
use search::domain::ProductDocument;
use serde_json::json;

use crate::{
    data,
    helpers::{TestApp, settings, spawn, spawn_app_with},
};

fn changed(product: &ProductDocument) -> Event {
    Event::new(
        product_changed::TOPIC,
        serde_json::to_value(data::wire(product)).expect("a product serialises"),
    )
}

/// Polls `query` until it finds `id` (or, with `present` false, no longer
/// does); returns how long that took, or `None` after `limit`.
async fn wait_for(
    app: &TestApp,
    query: &str,
    id: &str,
    present: bool,
    limit: Duration,
) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        let ids = app.search_ids(json!({ "query": query })).await;
        if ids.iter().any(|i| i == id) == present {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test]
async fn a_renamed_product_is_found_by_its_new_name_within_a_second() {
    let app = spawn_app_with(&data::products()).await;
    let mut renamed = data::products()[9].clone();
    renamed.name = "Nike Court Legend 篮球鞋".into();
    renamed.tags.clear();
    renamed.updated_at += 1_000;
    app.broker
        .publish(&changed(&renamed))
        .await
        .expect("publishing");
    let took = wait_for(&app, "legend", &renamed.id, true, Duration::from_secs(1)).await;
    assert!(
        took.is_some(),
        "not searchable by its new name within a second"
    );
    let old = app.search_ids(json!({ "query": "basketball" })).await;
    assert!(!old.contains(&renamed.id), "still found by its old name");
}

#[tokio::test]
async fn archived_products_leave_the_index() {
    let app = spawn_app_with(&data::products()).await;
    let mut archived = data::products()[2].clone();
    archived.status = "ARCHIVED".into();
    archived.updated_at += 1;
    app.broker
        .publish(&changed(&archived))
        .await
        .expect("publishing");
    let gone = wait_for(&app, "redmi", &archived.id, false, Duration::from_secs(2)).await;
    assert!(gone.is_some(), "an archived product is still found");
    let deleted = Event::new(
        product_changed::TOPIC,
        json!({ "productId": data::id(3), "deleted": true }),
    );
    app.broker.publish(&deleted).await.expect("publishing");
    let gone = wait_for(&app, "iphone", &data::id(3), false, Duration::from_secs(2)).await;
    assert!(gone.is_some(), "a deleted product is still found");
}

#[tokio::test]
async fn a_redelivered_event_is_applied_once() {
    let app = spawn_app_with(&[]).await;
    let mut product = data::products()[0].clone();
    product.name = "Zebra Fountain Pen".into();
    let event = changed(&product);
    app.broker.publish(&event).await.expect("publishing");
    assert!(
        wait_for(&app, "zebra", &product.id, true, Duration::from_secs(2))
            .await
            .is_some()
    );

    // Take it out behind the consumer's back, then deliver the same event
    // again, followed by a marker that shows the queue has moved past it.
    app.index
        .delete(std::slice::from_ref(&product.id))
        .await
        .expect("deleting");
    app.broker.publish(&event).await.expect("publishing again");
    let marker = data::products()[1].clone();
    app.broker
        .publish(&changed(&marker))
        .await
        .expect("publishing a marker");
    assert!(
        wait_for(&app, "sony", &marker.id, true, Duration::from_secs(2))
            .await
            .is_some()
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ids = app.search_ids(json!({ "query": "zebra" })).await;
    assert!(ids.is_empty(), "the redelivered event was applied again");
}

/// The same flow on RabbitMQ when `TEST_AMQP_URL` switches it on.
#[tokio::test]
#[cfg_attr(not(backend_rabbitmq), ignore = "TEST_AMQP_URL is not set")]
async fn product_events_arrive_through_rabbitmq_when_switched_on() {
    let url = platform::testing::required_amqp_url();
    platform::telemetry::init_test_tracing();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut settings = settings(&dir, "http://127.0.0.1:9").await;
    let broker: Arc<dyn Broker> = Arc::new(
        AmqpBroker::connect(&url)
            .await
            .expect("TEST_AMQP_URL is set, so RabbitMQ must be reachable")
            // The test's queue goes away once the test is over.
            .with_queue_expiry(Duration::from_secs(120)),
    );
    settings.broker = Some(broker.clone());
    let app = spawn(settings, dir).await;
    let mut product = data::products()[4].clone();
    product.id = uuid::Uuid::now_v7().to_string();
    let word = format!("amqp{}", uuid::Uuid::new_v4().simple());
    product.name = format!("{word} 手机");
    broker
        .publish(&changed(&product))
        .await
        .expect("publishing");
    let took = wait_for(&app, &word, &product.id, true, Duration::from_secs(10)).await;
    assert!(took.is_some(), "the event did not arrive through RabbitMQ");
}
