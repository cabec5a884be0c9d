//! The broker contract, run against every broker switched on (in-process
//! always, RabbitMQ under TEST_AMQP_URL), plus the outbox relay, the
//! processed-message helper and the subscription fan-out.
//! Here: the brokers and databases the topics share, and how they listen.

mod broker_contract;
mod fanout;
mod relay;
mod tables;

use std::{sync::Arc, time::Duration};

use platform::{
    db::Db,
    events::{
        self, AmqpBroker, Broker, Event, InProcessBroker, handler, outbox,
        tables::{self as event_tables, EventTable},
    },
    testing,
};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(15);

async fn brokers() -> Vec<(&'static str, Arc<dyn Broker>)> {
    let mut brokers: Vec<(&'static str, Arc<dyn Broker>)> =
        vec![("in-process", Arc::new(InProcessBroker::new()))];
    if let Some(url) = testing::amqp_url() {
        let broker = AmqpBroker::connect(&url)
            .await
            .expect("TEST_AMQP_URL is switched on but RabbitMQ is unreachable")
            .with_queue_expiry(Duration::from_secs(60));
        brokers.push(("rabbitmq", Arc::new(broker)));
    }
    brokers
}

/// A topic prefix and queue name of their own, so runs against a shared
/// RabbitMQ never see each other's events.
fn unique(name: &str) -> String {
    format!("test{}.{name}", uuid::Uuid::new_v4().simple())
}

/// Subscribes `queue` to `topics`, forwarding every delivery to a channel.
async fn collect(
    broker: &Arc<dyn Broker>,
    queue: &str,
    topics: &[&str],
) -> (events::Subscription, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let sub = broker
        .subscribe(
            queue,
            topics,
            handler(move |event| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(event);
                    Ok(())
                }
            }),
        )
        .await
        .expect("subscribe");
    (sub, rx)
}

async fn recv(rx: &mut mpsc::UnboundedReceiver<Event>, what: &str) -> Event {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
        .expect("channel open")
}

async fn outbox_db(engine: testing::TestEngine) -> Db {
    let url = testing::fresh_database_url(engine).await.unwrap();
    let db = Db::connect(&url).await.unwrap();
    event_tables::create(&db, &[EventTable::Outbox, EventTable::ProcessedMessage])
        .await
        .unwrap();
    db
}

async fn enqueue_all(db: &Db, events: &[Event]) {
    let mut tx = db.begin_write().await.unwrap();
    for event in events {
        outbox::enqueue(&mut tx, event).await.unwrap();
    }
    tx.commit().await.unwrap();
}
