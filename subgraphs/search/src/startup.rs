//! The search service: its index, its event consumer and its HTTP server.

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context;
use axum::Router;
use platform::{
    auth::JwtVerifier,
    db::{Db, Migrations},
    events::{self, Subscription, tables::EventTable},
    server,
};
use sqlx::migrate::Migrator;
use tokio::net::TcpListener;

use crate::{
    catalog_client::CatalogClient,
    internal::{self, InternalState},
    metrics::{self, MeteredIndex, Metrics},
    reindex::rebuild_from,
    schema,
    settings::Settings,
    store::{self, SharedIndex},
};

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/search/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/search/sqlite");

/// The service's migrations: no tables of its own, only platform's
/// `processed_message` (which its 0001 made before platform owned it).
pub static MIGRATIONS: Migrations = Migrations {
    postgres: &POSTGRES,
    sqlite: &SQLITE,
    event_tables: &[EventTable::ProcessedMessage],
};

/// How often, and how many times, an empty index retries filling itself
/// from a catalog that is not up yet (the all-in-one process starts both).
const FILL_RETRY_INTERVAL: Duration = Duration::from_secs(2);
const FILL_ATTEMPTS: u32 = 30;
/// How long `App::build` waits to see whether the catalog is serving.
const CATALOG_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub struct App {
    listener: TcpListener,
    port: u16,
    router: Router,
    index: SharedIndex,
    catalog: CatalogClient,
    /// Set when the index is empty and still to be filled from the catalog.
    needs_fill: bool,
    _events: Subscription,
}

impl App {
    /// Connects and migrates the database, opens the index, subscribes to
    /// product events and binds the listener. An empty index is filled from
    /// the catalog: here when the catalog answers at once, else in the
    /// background as soon as it does.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate(&MIGRATIONS).await?;
        let metrics = Arc::new(Metrics::new().context("registering the metrics")?);
        let index = MeteredIndex::wrap(
            store::open(&settings)
                .await
                .context("opening the search index")?,
            metrics.clone(),
        );
        let broker =
            events::shared_or_connect(settings.broker.as_ref(), settings.amqp_url.as_deref())
                .await?;
        // Subscribed before the fill, so no change made meanwhile is missed.
        let subscription = crate::events::subscribe(
            broker.as_ref(),
            &settings.queue_namespace,
            index.clone(),
            db.clone(),
        )
        .await
        .context("subscribing to product events")?;
        let catalog = CatalogClient::new(&settings.catalog_url, settings.internal_token.clone())?;
        let mut needs_fill = settings.reindex_on_empty && index.count().await? == 0;
        // Filled here when the catalog answers at once; otherwise (it may be
        // starting in this very process) in the background once it does.
        if needs_fill && catalog.answers_within(CATALOG_PROBE_TIMEOUT).await {
            match rebuild_from(index.as_ref(), &catalog).await {
                Ok(_) => needs_fill = false,
                Err(e) => tracing::warn!(error = ?e, "filling the empty index failed; retrying"),
            }
        }
        let schema = schema::build(index.clone());
        let verifier = JwtVerifier::with_revocation_list(
            settings.jwks.clone(),
            settings.redis_url.as_deref(),
        )?;
        let router = server::graphql_router(schema, verifier, db)
            .merge(internal::router(InternalState {
                index: index.clone(),
                catalog: catalog.clone(),
                token: settings.internal_token.clone(),
            }))
            .merge(metrics::router(metrics, index.clone()));
        let (listener, port) = server::bind(settings.listen_addr).await?;
        tracing::info!(port, "search service listening");
        Ok(Self {
            listener,
            port,
            router,
            index,
            catalog,
            needs_fill,
            _events: subscription,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The index the service searches.
    pub fn index(&self) -> SharedIndex {
        self.index.clone()
    }

    /// Serves until `shutdown` resolves; the event consumer runs alongside.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let fill = self
            .needs_fill
            .then(|| tokio::spawn(fill_when_catalog_is_up(self.index.clone(), self.catalog)));
        let served = server::serve(self.listener, self.router, shutdown).await;
        if let Some(fill) = fill {
            fill.abort();
        }
        drop(self._events);
        served
    }
}

/// Retries the first fill of an empty index until the catalog answers.
async fn fill_when_catalog_is_up(index: SharedIndex, catalog: CatalogClient) {
    for attempt in 0..FILL_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(FILL_RETRY_INTERVAL).await;
        }
        match index.count().await {
            Ok(0) => {}
            Ok(_) => return,
            Err(e) => tracing::warn!(error = ?e, "counting the index"),
        }
        match rebuild_from(index.as_ref(), &catalog).await {
            Ok(_) => return,
            Err(e) => tracing::debug!(error = ?e, "the catalog cannot fill the index yet"),
        }
    }
    tracing::warn!("gave up filling the empty index; run `shopgraph search reindex`");
}
