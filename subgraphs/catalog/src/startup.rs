//! Wiring: connect, migrate, (seed), bind, serve.

use std::future::Future;

use anyhow::Context;
use axum::Router;
use platform::{auth::JwtVerifier, db::Db, server};
use tokio::net::TcpListener;

use crate::{
    cache::CatalogCache,
    internal,
    schema::{self, CatalogSchema},
    seed,
    settings::Settings,
    store::{Catalog, MIGRATIONS},
};

pub struct App {
    listener: TcpListener,
    port: u16,
    router: Router,
}

impl App {
    /// Connects to the database and cache, applies migrations, seeds the
    /// demo catalog when asked (first start only), and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate(&MIGRATIONS).await?;
        if settings.seed_demo {
            seed::seed_demo(&db)
                .await
                .context("seeding the demo catalog")?;
        }
        let backend = platform::cache::connect(settings.redis_url.as_deref()).await?;
        let namespace = Catalog::cache_namespace(&db).await?;
        let catalog = Catalog::new(db.clone(), CatalogCache::new(backend, &namespace));
        let router = router(
            schema::build(catalog.clone()),
            catalog,
            JwtVerifier::new(settings.jwks.clone()),
            settings.internal_token.clone(),
        );
        let (listener, port) = server::bind(settings.listen_addr).await?;
        tracing::info!(port, "catalog listening");
        Ok(App {
            listener,
            port,
            router,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        server::serve(self.listener, self.router, shutdown).await
    }
}

/// The whole HTTP surface: `/graphql`, `/health` and `/internal/*`.
pub fn router(
    schema: CatalogSchema,
    catalog: Catalog,
    verifier: JwtVerifier,
    internal_token: String,
) -> Router {
    let db = catalog.db().clone();
    server::graphql_router(schema, verifier, db).merge(internal::router(catalog, internal_token))
}
