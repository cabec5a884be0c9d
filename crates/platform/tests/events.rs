//! The broker contract, run against every broker switched on (in-process
//! always, RabbitMQ under TEST_AMQP_URL), plus the outbox relay, the
//! processed-message helper and the subscription fan-out.

use std::{
    collections::HashSet,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use futures::StreamExt;
use platform::{
    db::{Db, Migrations},
    events::{
        self, AmqpBroker, Broker, Event, InProcessBroker, handler, idempotency,
        outbox::{self, Relay, RelayOptions},
        proxy::TcpProxy,
        tables::{self, EventTable},
    },
    fanout::{self, Fanout},
    testing,
};
use serde_json::json;
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

async fn outbox_db(engine: testing::TestEngine) -> Db {
    let url = testing::fresh_database_url(engine).await.unwrap();
    let db = Db::connect(&url).await.unwrap();
    tables::create(&db, &[EventTable::Outbox, EventTable::ProcessedMessage])
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

/// Catalog's migrations as they were applied before platform owned the
/// event tables: their 0002_events creates both, without `IF NOT EXISTS`.
static CATALOG_POSTGRES: sqlx::migrate::Migrator =
    sqlx::migrate!("../../migrations/catalog/postgres");
static CATALOG_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/catalog/sqlite");
/// Users' migrations: a service whose own migrations have no event tables.
static USERS_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/users/postgres");
static USERS_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/users/sqlite");

const BOTH: &[EventTable] = &[EventTable::Outbox, EventTable::ProcessedMessage];

async fn outbox_rows(db: &Db) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM outbox")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n")
}

#[tokio::test]
async fn migrate_keeps_the_event_tables_a_service_migration_made_and_their_rows() {
    let migrations = Migrations {
        postgres: &CATALOG_POSTGRES,
        sqlite: &CATALOG_SQLITE,
        event_tables: BOTH,
    };
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.unwrap();
        let db = Db::connect(&url).await.unwrap();
        db.migrate(&migrations).await.unwrap();
        enqueue_all(&db, &[Event::new("order.paid", json!({}))]).await;
        // A restart migrates again: nothing is made twice, nothing lost.
        db.migrate(&migrations).await.unwrap();
        tables::create(&db, BOTH).await.unwrap();
        assert_eq!(outbox_rows(&db).await, 1, "{engine}");
    }
}

#[tokio::test]
async fn migrate_makes_the_event_tables_a_service_names_and_only_those() {
    for engine in testing::engines() {
        for (tables, outbox) in [(BOTH, true), (&[EventTable::ProcessedMessage][..], false)] {
            let url = testing::fresh_database_url(engine).await.unwrap();
            let db = Db::connect(&url).await.unwrap();
            let migrations = Migrations {
                postgres: &USERS_POSTGRES,
                sqlite: &USERS_SQLITE,
                event_tables: tables,
            };
            db.migrate(&migrations).await.unwrap();
            let mut tx = db.begin_write().await.unwrap();
            assert!(
                idempotency::first_delivery(&mut tx, "search", "m1")
                    .await
                    .unwrap(),
                "{engine}"
            );
            tx.commit().await.unwrap();
            let has_outbox = sqlx::query("SELECT COUNT(*) FROM outbox")
                .execute(db.pool())
                .await
                .is_ok();
            assert_eq!(has_outbox, outbox, "{engine}: {tables:?}");
        }
    }
}

#[tokio::test]
async fn first_delivery_is_true_once_per_consumer_and_message() {
    for engine in testing::engines() {
        let db = outbox_db(engine).await;
        let mut tx = db.begin_write().await.unwrap();
        assert!(
            idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        assert!(
            !idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        assert!(
            idempotency::first_delivery(&mut tx, "search", "m1")
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let mut tx = db.begin_write().await.unwrap();
        assert!(
            !idempotency::first_delivery(&mut tx, "catalog", "m1")
                .await
                .unwrap()
        );
        tx.rollback().await.unwrap();
    }
}

/// `amqp://user:pass@host:port/vhost` with host:port replaced by `addr`,
/// and the original host:port.
fn through(url: &str, addr: SocketAddr) -> (String, SocketAddr) {
    let (scheme, rest) = url.split_once("://").expect("an amqp:// URL");
    let (auth, rest) = rest.rsplit_once('@').map_or(("", rest), |(a, r)| (a, r));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5672")
    };
    let upstream: SocketAddr = host
        .replace("localhost", "127.0.0.1")
        .parse()
        .expect("TEST_AMQP_URL names an IP address and port");
    let at = if auth.is_empty() {
        String::new()
    } else {
        format!("{auth}@")
    };
    (format!("{scheme}://{at}{addr}/{path}"), upstream)
}

/// RabbitMQ only: the in-process broker has no connection to cut.
#[tokio::test]
#[cfg_attr(not(backend_rabbitmq), ignore = "TEST_AMQP_URL is not set")]
async fn cutting_rabbitmq_mid_burst_loses_no_event() {
    let url = testing::required_amqp_url();
    let (_, upstream) = through(&url, "127.0.0.1:1".parse().unwrap());
    let proxy = TcpProxy::start(upstream).await.unwrap();
    let (proxied, _) = through(&url, proxy.addr());
    let broker: Arc<dyn Broker> = Arc::new(
        AmqpBroker::connect(&proxied)
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

async fn fanouts() -> Vec<(&'static str, Arc<dyn Fanout>)> {
    let mut fanouts: Vec<(&'static str, Arc<dyn Fanout>)> =
        vec![("in-process", fanout::connect(None).await.unwrap())];
    if let Some(url) = testing::redis_url() {
        let redis = fanout::connect(Some(&url))
            .await
            .expect("TEST_REDIS_URL is switched on but Redis is unreachable");
        fanouts.push(("redis", redis));
    }
    fanouts
}

#[tokio::test]
async fn fanout_delivers_to_every_subscriber_of_a_channel_in_order() {
    for (name, fanout) in fanouts().await {
        let channel = unique("order");
        let mut first = fanout.subscribe(&channel).await.unwrap();
        let mut second = fanout.subscribe(&channel).await.unwrap();
        let mut elsewhere = fanout.subscribe(&unique("other")).await.unwrap();
        for i in 0..3u8 {
            fanout.publish(&channel, vec![i]).await.unwrap();
        }
        for i in 0..3u8 {
            for stream in [&mut first, &mut second] {
                let got = tokio::time::timeout(WAIT, stream.next()).await.unwrap();
                assert_eq!(got, Some(vec![i]), "{name}");
            }
        }
        assert!(
            tokio::time::timeout(Duration::from_millis(200), elsewhere.next())
                .await
                .is_err(),
            "{name}: another channel's message leaked"
        );
    }
}
