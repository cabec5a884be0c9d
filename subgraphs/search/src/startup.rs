//! The search service: its index, its event consumer and its HTTP server.

use std::{future::Future, sync::Arc};

use anyhow::Context;
use axum::Router;
use platform::{
    auth::JwtVerifier,
    db::{Db, Migrations},
    events::{Subscription, shared_or_connect, tables::EventTable},
    server,
};
use sqlx::migrate::Migrator;
use tokio::net::TcpListener;

use crate::{
    events,
    metrics::{self, MeteredIndex, Metrics},
    schema::{
        self,
        internal::{self, InternalState},
    },
    service::{
        ProductSearch,
        indexing::on_product_changed,
        reindex::{fill_if_empty, fill_when_catalog_is_up},
    },
    settings::Settings,
    store::{self, SharedIndex, clients::CatalogClient},
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
            shared_or_connect(settings.broker.as_ref(), settings.amqp_url.as_deref()).await?;
        let catalog = CatalogClient::new(&settings.catalog_url, settings.internal_token.clone())?;
        // Subscribed before the fill, so no change made meanwhile is missed.
        let subscription = events::subscribe(
            broker.as_ref(),
            &settings.queue_namespace,
            on_product_changed(index.clone(), db.clone(), catalog.clone()),
        )
        .await
        .context("subscribing to product events")?;
        // Filled here when the catalog answers at once; otherwise (it may be
        // starting in this very process) in the background once it does.
        let needs_fill =
            settings.reindex_on_empty && fill_if_empty(index.as_ref(), &catalog).await?;
        let schema = schema::build(ProductSearch::new(index.clone()));
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
