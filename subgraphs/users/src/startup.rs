//! Wiring: database, migrations, signing key, schema, HTTP.

use std::{future::Future, sync::Arc};

use axum::{Json, Router, http::header, response::IntoResponse, routing::get};
use platform::{
    attempts,
    auth::{JwksSource, JwtVerifier, revocations},
    db::{Db, Migrations},
    server::{bind, graphql_router, serve},
};
use sqlx::migrate::Migrator;
use tokio::net::TcpListener;

use crate::{
    metrics::Metrics,
    schema::{self, internal},
    service::{
        Services, auth::tokens::TokenIssuer, login_throttle::LoginThrottle, seed::seed_with,
    },
    settings::Settings,
    store::signing_key,
};

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/users/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/users/sqlite");

/// The users service's migrations, for `shopgraph migrate` and tests.
pub const MIGRATIONS: Migrations = Migrations {
    postgres: &POSTGRES,
    sqlite: &SQLITE,
    event_tables: &[],
};

/// The users service, built and bound, not yet serving.
pub struct App {
    listener: TcpListener,
    port: u16,
    router: Router,
}

impl App {
    /// Connects, migrates, loads (or creates) the signing key, seeds the
    /// demo accounts when asked, and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate(&MIGRATIONS).await?;
        let key = Arc::new(signing_key::load_or_create(&db).await?);
        let tokens = Arc::new(TokenIssuer::new(
            key,
            settings.access_token_ttl,
            settings.refresh_token_ttl,
        ));
        let services = Services {
            db: db.clone(),
            tokens,
            metrics: Arc::new(Metrics::new()?),
            revocations: revocations::connect(settings.redis_url.as_deref())?,
            login_throttle: Arc::new(LoginThrottle::new(
                attempts::connect(settings.redis_url.as_deref())?,
                settings.login_throttle.clone(),
            )),
        };
        if settings.seed_demo {
            seed_with(&services).await?;
        }
        let internal = internal::router(services.clone(), &settings.internal_token);
        let router = router(services).merge(internal);
        let (listener, port) = bind(settings.listen_addr).await?;
        tracing::info!(port, "users service bound");
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
        serve(self.listener, self.router, shutdown).await
    }
}

/// `/graphql`, `/health`, `/metrics` and `/.well-known/jwks.json`.
pub fn router(services: Services) -> Router {
    let jwks = Arc::new(services.tokens.key().jwks());
    let metrics = services.metrics.clone();
    // This service verifies its own tokens against its own key, no fetch.
    let verifier = JwtVerifier::new(JwksSource::Static((*jwks).clone()))
        .with_revocations(services.revocations.clone());
    let db = services.db.clone();
    graphql_router(schema::build(services), verifier, db)
        .route(
            "/.well-known/jwks.json",
            get(move || {
                let jwks = jwks.clone();
                async move {
                    (
                        [(header::CACHE_CONTROL, "public, max-age=300")],
                        Json((*jwks).clone()),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/metrics",
            get(move || {
                let metrics = metrics.clone();
                async move { metrics.serve() }
            }),
        )
}
