//! The broker contract, on every broker switched on: topics, redelivery,
//! hand-over between consumers, delays.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use platform::events::{Event, handler};
use serde_json::json;
use tokio::sync::mpsc;

use crate::{brokers, collect, recv, unique};

#[tokio::test]
async fn subscribers_receive_events_of_their_topics_in_order() {
    for (name, broker) in brokers().await {
        let prefix = unique("orders");
        let pattern = format!("{prefix}.*");
        let (_sub, mut rx) = collect(&broker, &unique("q"), &[&pattern]).await;
        let (_other, mut other_rx) = collect(&broker, &unique("q2"), &[&pattern]).await;
        let sent: Vec<Event> = (0..3)
            .map(|i| Event::new(format!("{prefix}.paid"), json!({ "n": i })))
            .collect();
        broker
            .publish(&Event::new(format!("{prefix}x.unbound"), json!({})))
            .await
            .unwrap();
        for event in &sent {
            broker.publish(event).await.unwrap();
        }
        for event in &sent {
            assert_eq!(&recv(&mut rx, name).await, event, "{name}");
            assert_eq!(
                &recv(&mut other_rx, name).await,
                event,
                "{name}: each queue gets a copy"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            rx.try_recv().is_err(),
            "{name}: an unbound topic was delivered"
        );
    }
}

#[tokio::test]
async fn a_failed_handler_gets_the_event_again() {
    for (name, broker) in brokers().await {
        let topic = unique("order.paid");
        let calls = Arc::new(AtomicU32::new(0));
        let (tx, mut rx) = mpsc::unbounded_channel();
        let seen = calls.clone();
        let _sub = broker
            .subscribe(
                &unique("q"),
                &[&topic],
                handler(move |event| {
                    let tx = tx.clone();
                    let attempt = seen.fetch_add(1, Ordering::SeqCst);
                    async move {
                        let _ = tx.send(event);
                        anyhow::ensure!(attempt > 0, "the first attempt fails");
                        Ok(())
                    }
                }),
            )
            .await
            .unwrap();
        let event = Event::new(&topic, json!({ "order": 1 }));
        broker.publish(&event).await.unwrap();
        assert_eq!(recv(&mut rx, name).await, event);
        assert_eq!(
            recv(&mut rx, name).await,
            event,
            "{name}: redelivered after failure"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "{name}: acknowledged after success"
        );
    }
}

#[tokio::test]
async fn an_event_unacknowledged_by_a_stopped_consumer_goes_to_the_next() {
    for (name, broker) in brokers().await {
        let topic = unique("order.created");
        let queue = unique("q");
        let (started_tx, mut started) = mpsc::unbounded_channel();
        let stuck = broker
            .subscribe(
                &queue,
                &[&topic],
                handler(move |event| {
                    let started_tx = started_tx.clone();
                    async move {
                        let _ = started_tx.send(event);
                        std::future::pending::<()>().await;
                        Ok(())
                    }
                }),
            )
            .await
            .unwrap();
        let event = Event::new(&topic, json!({}));
        broker.publish(&event).await.unwrap();
        assert_eq!(recv(&mut started, name).await, event);
        stuck.stop();
        let (_sub, mut rx) = collect(&broker, &queue, &[&topic]).await;
        assert_eq!(
            recv(&mut rx, name).await,
            event,
            "{name}: redelivered to the next consumer"
        );
    }
}

#[tokio::test]
async fn delayed_events_arrive_after_their_delay() {
    for (name, broker) in brokers().await {
        let topic = unique("order.timeout");
        let (_sub, mut rx) = collect(&broker, &unique("q"), &[&topic]).await;
        let event = Event::new(&topic, json!({ "order": 7 }));
        let started = std::time::Instant::now();
        broker
            .publish_delayed(&event, Duration::from_millis(800))
            .await
            .unwrap();
        assert_eq!(recv(&mut rx, name).await, event);
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(700),
            "{name}: delivered after {waited:?}"
        );
    }
}
