//! The outbox relay: committed rows published once, delays kept, and no
//! event lost when the connection to RabbitMQ is cut mid-burst.

use std::{collections::HashSet, sync::Arc, time::Duration};

use platform::{
    events::{
        AmqpBroker, Broker, Event, InProcessBroker,
        outbox::{self, Relay, RelayOptions},
    },
    testing::{self, Proxied},
};
use serde_json::json;

use crate::{WAIT, brokers, collect, enqueue_all, outbox_db, recv, unique};

#[tokio::test]
async fn the_relay_publishes_committed_outbox_rows_once() {
    for engine in testing::engines() {
        for (name, broker) in brokers().await {
            let db = outbox_db(engine).await;
            let topic = unique("order.created");
            let (_sub, mut rx) = collect(&broker, &unique("q"), &[&topic]).await;
            let events: Vec<Event> = (0..5)
                .map(|i| Event::new(&topic, json!({ "i": i })))
                .collect();
            enqueue_all(&db, &events).await;
            // A rolled-back transaction leaves nothing to publish.
            let mut tx = db.begin_write().await.unwrap();
            outbox::enqueue(&mut tx, &Event::new(&topic, json!({ "rolled": "back" })))
                .await
                .unwrap();
            tx.rollback().await.unwrap();

            let relay = Relay::new(db.clone(), broker.clone(), RelayOptions::default());
            assert_eq!(relay.relay_once().await.unwrap(), 5, "{engine}/{name}");
            assert_eq!(relay.relay_once().await.unwrap(), 0, "{engine}/{name}");
            assert_eq!(Relay::pending(&db).await.unwrap(), 0);
            for event in &events {
                assert_eq!(&recv(&mut rx, name).await, event, "{engine}/{name}");
            }
        }
    }
}

#[tokio::test]
async fn the_relay_keeps_delayed_events_delayed() {
    let broker: Arc<dyn Broker> = Arc::new(InProcessBroker::new());
    let db = outbox_db(testing::TestEngine::Sqlite).await;
    let topic = unique("order.timeout");
    let (_sub, mut rx) = collect(&broker, &unique("q"), &[&topic]).await;
    let event = Event::new(&topic, json!({}));
    let mut tx = db.begin_write().await.unwrap();
    outbox::enqueue_delayed(&mut tx, &event, Duration::from_millis(600))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Relay::new(db, broker, RelayOptions::default())
        .relay_once()
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err(),
        "delivered before its delay"
    );
    assert_eq!(recv(&mut rx, "the delayed event").await, event);
}

/// RabbitMQ only: the in-process broker has no connection to cut.
#[tokio::test]
#[cfg_attr(not(backend_rabbitmq), ignore = "TEST_AMQP_URL is not set")]
async fn cutting_rabbitmq_mid_burst_loses_no_event() {
    let Proxied { url, proxy } = testing::proxied(&testing::required_amqp_url())
        .await
        .unwrap();
    let broker: Arc<dyn Broker> = Arc::new(
        AmqpBroker::connect(&url)
            .await
            .unwrap()
            .with_queue_expiry(Duration::from_secs(60)),
    );
    let db = outbox_db(testing::TestEngine::Sqlite).await;
    let topic = unique("order.created");
    let (_sub, mut rx) = collect(&broker, &unique("q"), &[&topic]).await;
    let relay = Relay::new(
        db.clone(),
        broker.clone(),
        RelayOptions {
            poll_interval: Duration::from_millis(50),
            max_backoff: Duration::from_millis(500),
            ..RelayOptions::default()
        },
    );
    let cancel = tokio_util::sync::CancellationToken::new();
    let relay_task = tokio::spawn(relay.run(cancel.clone()));

    let mut expected = HashSet::new();
    for i in 0..60 {
        let event = Event::new(&topic, json!({ "i": i }));
        expected.insert(event.id.clone());
        enqueue_all(&db, &[event]).await;
        if i == 20 {
            proxy.cut();
        }
        if i == 40 {
            proxy.restore();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut seen = HashSet::new();
    while seen.len() < expected.len() {
        let event = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap_or_else(|_| panic!("only {} of {} events arrived", seen.len(), expected.len()))
            .unwrap();
        seen.insert(event.id);
    }
    assert_eq!(seen, expected);
    // The relay marks a row after the broker confirmed it, which may come
    // a moment after the consumer got the event.
    let deadline = tokio::time::Instant::now() + WAIT;
    while Relay::pending(&db).await.unwrap() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "rows left unmarked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    cancel.cancel();
    relay_task.await.unwrap();
}
