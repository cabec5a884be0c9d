//! Starting a real catalog, a real users service and the orders service,
//! each on a fresh database, sharing one signing key and internal token.

use std::{sync::Arc, time::Duration};

use orders::{App, Settings};
use platform::{
    auth::{JwksSource, SigningKey},
    events::Broker,
    fanout::LocalFanout,
    testing::{Proxied, TestTokens, amqp_url, fresh_database_url, proxied, redis_url},
};

use super::{Catalog, Options, TestApp, WEBHOOK_SECRET};

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

async fn broker_for(url: Option<&str>) -> Arc<dyn Broker> {
    platform::testing::test_broker(url)
        .await
        .expect("the test broker")
}

pub async fn spawn_with(options: Options) -> TestApp {
    platform::telemetry::init_test_tracing();
    let key = SigningKey::generate().expect("a signing key");
    let internal_token = format!("test-token-{}", uuid::Uuid::new_v4().simple());

    let catalog_settings = catalog::Settings {
        listen_addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: fresh_database_url(options.engine)
            .await
            .expect("a database"),
        redis_url: redis_url(),
        jwks: JwksSource::Static(key.jwks()),
        internal_token: internal_token.clone(),
        seed_demo: false,
        // The catalog's default: these tests start no catalog replicas.
        known_ids_sync: Duration::from_secs(2),
        amqp_url: None,
        broker: None,
        queue_namespace: format!("catalog-test-{}", uuid::Uuid::new_v4().simple()),
        outbox_poll_interval: Duration::from_millis(50),
        // This catalog does not sweep (its orders service is not up yet);
        // reservation-lease tests start a sweeping replica of it.
        orders_url: "http://127.0.0.1:4003".into(),
        reservation_grace: catalog::DEFAULT_RESERVATION_GRACE,
        reservation_sweep_interval: Duration::ZERO,
    };
    // The service's broker: in-process (shared with the catalog and the
    // test) or RabbitMQ, whose test queues expire once the test is over.
    let service_broker = broker_for(options.amqp_url.as_deref()).await;
    let test_broker = match amqp_url() {
        Some(url) => broker_for(Some(&url)).await,
        None => service_broker.clone(),
    };
    let catalog_settings = catalog::Settings {
        broker: Some(test_broker.clone()),
        ..catalog_settings
    };
    let catalog = catalog::App::build(catalog_settings.clone())
        .await
        .expect("the catalog builds");
    let catalog_address = format!("http://127.0.0.1:{}", catalog.port());
    tokio::spawn(catalog.run_until_stopped(std::future::pending()));

    // A real users service for saved shipping addresses.
    let mut users_settings = users::Settings::with_database(
        fresh_database_url(options.engine)
            .await
            .expect("a database"),
    );
    users_settings.internal_token = internal_token.clone();
    let users = users::App::build(users_settings)
        .await
        .expect("the users service builds");
    let users_address = format!("http://127.0.0.1:{}", users.port());
    tokio::spawn(users.run_until_stopped(std::future::pending()));

    let (orders_catalog_url, catalog_proxy) = match options.catalog_proxy {
        true => {
            let Proxied { url, proxy } = proxied(&catalog_address)
                .await
                .expect("the catalog proxy starts");
            (url, Some(proxy))
        }
        false => (catalog_address.clone(), None),
    };
    let queue_namespace = format!("orders-test-{}", uuid::Uuid::new_v4().simple());
    let settings = Settings {
        listen_addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: fresh_database_url(options.engine)
            .await
            .expect("a database"),
        redis_url: options.redis_url.clone(),
        amqp_url: options.amqp_url.clone(),
        jwks: JwksSource::Static(key.jwks()),
        catalog_url: orders_catalog_url,
        users_url: users_address.clone(),
        internal_token: internal_token.clone(),
        payment_webhook_secret: WEBHOOK_SECRET.into(),
        payment_timeout: options.payment_timeout,
        payment_callback_tolerance: orders::DEFAULT_CALLBACK_TOLERANCE,
        payment_callback_url: None,
        sandbox_payment_delay: Duration::from_millis(100),
        sandbox_auto_confirm: options.auto_confirm,
        reconcile_interval: Duration::ZERO,
        flash_queue_timeout: options.flash_queue_timeout,
        queue_namespace: queue_namespace.clone(),
        sweep_interval: Duration::ZERO,
        sweep_grace: Duration::from_secs(60),
        outbox_poll_interval: Duration::from_millis(50),
        broker: Some(service_broker),
        // Replicas in one test process share the in-process fan-out, as the
        // services of the all-in-one process do; with Redis each connects.
        fanout: match &options.redis_url {
            Some(_) => None,
            None => Some(Arc::new(LocalFanout::default())),
        },
    };
    let app = App::build(settings.clone())
        .await
        .expect("the orders service builds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        catalog: Catalog {
            address: catalog_address,
            internal_token: internal_token.clone(),
            settings: catalog_settings,
        },
        users_address,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build()
            .expect("a client"),
        broker: test_broker,
        queue_namespace,
        catalog_proxy,
        settings,
        tokens: TestTokens::new(key),
    }
}
