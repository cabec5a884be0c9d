//! Wiring: connect, migrate, (seed), subscribe, bind; then serve the API
//! alongside the outbox relay, the stock announcer, the product id filter
//! sync and the reservation sweeper.

use std::{future::Future, sync::Arc};

use anyhow::Context;
use axum::{Router, middleware, routing::get};
use platform::{
    auth::JwtVerifier,
    background::Background,
    db::Db,
    events::{Subscription, outbox::Relay},
    server,
};
use tokio::net::TcpListener;

use crate::{
    events,
    metrics::{self, Metrics},
    schema::{self, CatalogSchema, internal},
    service::{Catalog, ReservationSweeper, seed},
    settings::Settings,
    store::{MIGRATIONS, Store, cache::CatalogCache, clients::OrdersClient, known_ids},
};

pub struct App {
    listener: TcpListener,
    port: u16,
    router: Router,
    relay: Relay,
    consumers: Vec<Subscription>,
    catalog: Catalog,
    known_ids_sync: std::time::Duration,
    /// How often the stock announcer looks for marks nobody woke it for.
    stock_poll: std::time::Duration,
    sweeper: ReservationSweeper,
    sweep_interval: std::time::Duration,
}

impl App {
    /// Connects to the database, cache and broker, applies migrations,
    /// seeds the demo catalog when asked (first start only), subscribes the
    /// order-event consumer and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate(&MIGRATIONS).await?;
        if settings.seed_demo {
            seed::seed_demo(&db)
                .await
                .context("seeding the demo catalog")?;
        }
        let backend = platform::cache::connect(settings.redis_url.as_deref()).await?;
        let namespace = Store::cache_namespace(&db).await?;
        let broker = platform::events::shared_or_connect(
            settings.broker.as_ref(),
            settings.amqp_url.as_deref(),
        )
        .await?;
        let relay = events::relay(db.clone(), broker.clone(), settings.outbox_poll_interval);
        // Built after seeding, so the demo products are in it.
        let known = known_ids::load(&db)
            .await
            .context("building the product id filter")?;
        let metrics = Arc::new(Metrics::new().context("registering the metrics")?);
        let cache = CatalogCache::new(backend, &namespace, metrics.clone());
        let store = Store::new(db, cache.clone(), known.clone(), metrics);
        let catalog = Catalog::new(store, cache, known, relay.waker());
        let sweeper = ReservationSweeper::new(
            catalog.clone(),
            OrdersClient::new(&settings.orders_url, &settings.internal_token)?,
            settings.reservation_grace,
        );
        let consumers = vec![subscribe_sales(&broker, &catalog, &settings.queue_namespace).await?];
        let router = router(
            schema::build(catalog.clone()),
            catalog.clone(),
            JwtVerifier::with_revocation_list(
                settings.jwks.clone(),
                settings.redis_url.as_deref(),
            )?,
            settings.internal_token.clone(),
        );
        let (listener, port) = server::bind(settings.listen_addr).await?;
        tracing::info!(port, "catalog listening");
        Ok(App {
            listener,
            port,
            router,
            relay,
            consumers,
            catalog,
            known_ids_sync: settings.known_ids_sync,
            stock_poll: settings.outbox_poll_interval,
            sweeper,
            sweep_interval: settings.reservation_sweep_interval,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let mut background = Background::default();
        background.spawn(|cancel| self.relay.run(cancel));
        let catalog = self.catalog.clone();
        background.spawn(|cancel| catalog.keep_stock_announced(self.stock_poll, cancel));
        background.spawn(|cancel| {
            self.catalog
                .keep_known_ids_synced(self.known_ids_sync, cancel)
        });
        let sweeper = self.sweeper;
        background.every(self.sweep_interval, "reservation sweep", move || {
            let sweeper = sweeper.clone();
            async move { sweeper.sweep_once().await.map(drop) }
        });
        let served = server::serve(self.listener, self.router, shutdown).await;
        drop(self.consumers);
        background.stop().await;
        served
    }
}

/// The whole HTTP surface: `/graphql`, `/health`, `/metrics` and
/// `/internal/*`, each request counted by its route.
pub fn router(
    schema: CatalogSchema,
    catalog: Catalog,
    verifier: JwtVerifier,
    internal_token: String,
) -> Router {
    let db = catalog.db().clone();
    let metrics = catalog.metrics_handle();
    server::graphql_router(schema, verifier, db)
        .merge(internal::router(catalog, internal_token))
        .route("/metrics", get(metrics::serve).with_state(metrics.clone()))
        // A route layer sees the matched route pattern; requests matching
        // no route (404s) are not counted.
        .route_layer(middleware::from_fn_with_state(metrics, metrics::track))
}

/// Consumes `order.paid`/`order.refunded` into sales counts.
async fn subscribe_sales(
    broker: &Arc<dyn platform::events::Broker>,
    catalog: &Catalog,
    namespace: &str,
) -> anyhow::Result<Subscription> {
    let catalog = catalog.clone();
    events::subscribe_sales(broker.as_ref(), namespace, move |event| {
        let catalog = catalog.clone();
        async move { catalog.apply_order_event(&event).await.map(|_| ()) }
    })
    .await
}
