//! The catalog's configuration, read from the environment.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use platform::{
    auth::JwksSource,
    config::{database_url, env_opt, env_secs, listen_addr},
    events::Broker,
};

/// The default port of the catalog service.
pub const DEFAULT_PORT: u16 = 4002;
/// How often the product id filter syncs from the database by default.
pub const DEFAULT_KNOWN_IDS_SYNC: Duration = Duration::from_secs(2);
/// How old a held reservation must be, by default, before the sweeper asks
/// whether its order exists: far longer than a checkout takes between
/// reserving and storing (the orders service gives up on the catalog after
/// 10 seconds), so a checkout still in flight is never swept.
pub const DEFAULT_RESERVATION_GRACE: Duration = Duration::from_secs(600);
/// How often the reservation sweeper runs by default.
pub const DEFAULT_RESERVATION_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Settings {
    /// `LISTEN_ADDR`, default `127.0.0.1:4002`.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL`, default the embedded SQLite file `data/catalog.db`.
    pub database_url: String,
    /// `REDIS_URL`; without it the cache is in-process.
    pub redis_url: Option<String>,
    /// `JWKS_URL`, default the users service's JWKS.
    pub jwks: JwksSource,
    /// `INTERNAL_TOKEN`: the shared secret of `/internal/*`. When unset a
    /// random one is generated (and a warning logged), which locks the
    /// internal API to whoever was handed this value in-process.
    pub internal_token: String,
    /// `SEED_DEMO=1`: seed the demo catalog on first start.
    pub seed_demo: bool,
    /// `PRODUCT_FILTER_SYNC` (seconds, default 2): how often the Bloom
    /// filter of product ids learns the products that other replicas (or
    /// `shopgraph seed`) created; until then this replica answers null for
    /// them. One indexed statement per sync.
    pub known_ids_sync: Duration,
    /// `AMQP_URL`: RabbitMQ, which carries `product.changed` out of the
    /// outbox and order events in. Without it the broker is in-process.
    pub amqp_url: Option<String>,
    /// A broker to use instead of connecting one: the all-in-one process
    /// makes one in-process broker and hands it to every service.
    pub broker: Option<Arc<dyn Broker>>,
    /// `CATALOG_QUEUE_NAMESPACE` (default `catalog`): the prefix of this
    /// deployment's queues, shared by its replicas.
    pub queue_namespace: String,
    /// `OUTBOX_POLL_INTERVAL` (seconds, default 0.5).
    pub outbox_poll_interval: Duration,
    /// `ORDERS_URL`, default `http://127.0.0.1:4003`: the orders service's
    /// internal API, which the reservation sweeper asks about orders.
    pub orders_url: String,
    /// `RESERVATION_GRACE` (seconds, default 600): the lease of a stock
    /// reservation. One held longer is released by the sweeper when the
    /// orders service has no order for it (or one that gave its stock back).
    pub reservation_grace: Duration,
    /// `RESERVATION_SWEEP_INTERVAL` (seconds, default 60; 0 turns the
    /// sweeper off).
    pub reservation_sweep_interval: Duration,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let internal_token = platform::internal::token_from_env("catalog");
        Ok(Self {
            listen_addr: listen_addr("LISTEN_ADDR", DEFAULT_PORT)?,
            database_url: database_url("catalog")?,
            redis_url: env_opt("REDIS_URL"),
            jwks: JwksSource::from_env(),
            internal_token,
            seed_demo: platform::config::env_flag("SEED_DEMO", false)?,
            known_ids_sync: env_secs("PRODUCT_FILTER_SYNC", DEFAULT_KNOWN_IDS_SYNC)?,
            amqp_url: env_opt("AMQP_URL"),
            broker: None,
            queue_namespace: env_opt("CATALOG_QUEUE_NAMESPACE").unwrap_or_else(|| "catalog".into()),
            outbox_poll_interval: env_secs("OUTBOX_POLL_INTERVAL", Duration::from_millis(500))?,
            orders_url: env_opt("ORDERS_URL").unwrap_or_else(|| "http://127.0.0.1:4003".into()),
            reservation_grace: env_secs("RESERVATION_GRACE", DEFAULT_RESERVATION_GRACE)?,
            reservation_sweep_interval: env_secs(
                "RESERVATION_SWEEP_INTERVAL",
                DEFAULT_RESERVATION_SWEEP_INTERVAL,
            )?,
        })
    }
}

// By hand, so the internal token never reaches a log.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen_addr", &self.listen_addr)
            .field("database_url", &self.database_url)
            .field("redis_url", &self.redis_url)
            .field("jwks", &self.jwks)
            .field("internal_token", &"[redacted]")
            .field("seed_demo", &self.seed_demo)
            .field("known_ids_sync", &self.known_ids_sync)
            .field("amqp", &self.amqp_url.is_some())
            .field("broker_injected", &self.broker.is_some())
            .field("queue_namespace", &self.queue_namespace)
            .field("outbox_poll_interval", &self.outbox_poll_interval)
            .field("orders_url", &self.orders_url)
            .field("reservation_grace", &self.reservation_grace)
            .field(
                "reservation_sweep_interval",
                &self.reservation_sweep_interval,
            )
            .finish()
    }
}
