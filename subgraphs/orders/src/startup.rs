//! Wiring: connect the database, broker, fan-out and flash-sale counters,
//! migrate, subscribe the consumers, bind, then serve the API alongside the
//! outbox relay and the flash-sale reconciliation.

use std::{future::Future, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::State,
    response::Response,
    routing::{get, post},
};
use platform::{
    auth::JwtVerifier,
    background::Background,
    db::Db,
    events::{
        self, Subscription,
        outbox::{Relay, RelayOptions},
    },
    fanout, server,
};
use tokio::net::TcpListener;

use crate::{
    events::consumers,
    metrics::Metrics,
    schema::{
        self,
        internal::{self, webhook},
    },
    service::{
        consumers::handlers, context::OrdersContext, flash::reconcile::reconcile_once,
        sweeper::sweep_once,
    },
    settings::Settings,
    store::{
        MIGRATIONS,
        clients::{catalog::CatalogClient, payments::sandbox::SandboxProvider, users::UsersClient},
        flash::{FlashStock, LocalFlashStock, RedisFlashStock},
    },
};

pub struct App {
    listener: TcpListener,
    port: u16,
    router: Router,
    ctx: OrdersContext,
    relay: Relay,
    consumers: Vec<Subscription>,
}

impl App {
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate(&MIGRATIONS).await?;
        let broker =
            events::shared_or_connect(settings.broker.as_ref(), settings.amqp_url.as_deref())
                .await?;
        let fanout = match &settings.fanout {
            Some(fanout) => fanout.clone(),
            None => fanout::connect(settings.redis_url.as_deref()).await?,
        };
        let flash: Arc<dyn FlashStock> = match &settings.redis_url {
            Some(url) => Arc::new(RedisFlashStock::connect(url, &settings.queue_namespace).await?),
            None => Arc::new(LocalFlashStock::default()),
        };
        let relay = Relay::new(
            db.clone(),
            broker.clone(),
            RelayOptions {
                poll_interval: settings.outbox_poll_interval,
                ..RelayOptions::default()
            },
        );
        let (listener, port) = server::bind(settings.listen_addr).await?;
        let callback_url = settings
            .payment_callback_url
            .clone()
            .unwrap_or_else(|| format!("http://127.0.0.1:{port}/payments/callback"));
        let verifier = JwtVerifier::with_revocation_list(
            settings.jwks.clone(),
            settings.redis_url.as_deref(),
        )?;
        let settings = Arc::new(settings);
        let payments = Arc::new(SandboxProvider::new(
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            callback_url,
            settings.clone(),
        ));
        let ctx = OrdersContext {
            verifier,
            db: db.clone(),
            catalog: CatalogClient::new(&settings.catalog_url, &settings.internal_token)?,
            users: UsersClient::new(&settings.users_url, &settings.internal_token)?,
            broker,
            fanout,
            relay: relay.waker(),
            flash,
            payments,
            settings,
            metrics: Arc::new(Metrics::new()?),
            sales: Default::default(),
        };
        let namespace = &ctx.settings.queue_namespace;
        let consumers =
            consumers::subscribe(ctx.broker.as_ref(), namespace, handlers(&ctx, namespace)).await?;
        let router = router(&ctx);
        tracing::info!(port, "orders listening");
        Ok(App {
            listener,
            port,
            router,
            ctx,
            relay,
            consumers,
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
        let settings = &self.ctx.settings;
        background.every(
            settings.reconcile_interval,
            "flash-sale reconciliation",
            on_clone(&self.ctx, |ctx| async move {
                let timeout = ctx.settings.flash_queue_timeout;
                reconcile_once(&ctx, timeout).await.map(drop)
            }),
        );
        background.every(
            settings.sweep_interval,
            "order sweep",
            on_clone(&self.ctx, |ctx| async move {
                sweep_once(&ctx, ctx.settings.sweep_grace).await.map(drop)
            }),
        );
        let served = server::serve(self.listener, self.router, shutdown).await;
        drop(self.consumers);
        background.stop().await;
        served
    }
}

/// The whole HTTP surface: `/graphql`, `/health`, `/metrics`,
/// `/payments/callback` and `/internal/*`.
pub fn router(ctx: &OrdersContext) -> Router {
    let callbacks = Router::new()
        .route("/payments/callback", post(webhook::handle))
        .route("/metrics", get(metrics))
        .with_state(ctx.clone());
    server::graphql_router(
        schema::build(ctx.clone()),
        ctx.verifier.clone(),
        ctx.db.clone(),
    )
    .merge(callbacks)
    .merge(internal::router(ctx.clone(), &ctx.settings.internal_token))
}

/// A periodic round that runs `round` on a fresh clone of `ctx` each time.
fn on_clone<F, Fut>(ctx: &OrdersContext, round: F) -> impl FnMut() -> Fut + Send + 'static
where
    F: Fn(OrdersContext) -> Fut + Send + 'static,
{
    let ctx = ctx.clone();
    move || round(ctx.clone())
}

async fn metrics(State(ctx): State<OrdersContext>) -> Response {
    let pending = Relay::pending(&ctx.db).await.ok();
    ctx.metrics.serve(pending)
}
