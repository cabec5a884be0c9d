//! The orders service's configuration, read from the environment.

use std::{fmt, net::SocketAddr, sync::Arc, time::Duration};

use platform::{
    auth::JwksSource,
    config::{database_url, env_opt, env_secs, listen_addr},
    events::Broker,
    fanout::Fanout,
    internal::random_token,
};

/// The default port of the orders service.
pub const DEFAULT_PORT: u16 = 4003;

/// How far a payment callback's signed time may be from now.
pub const DEFAULT_CALLBACK_TOLERANCE: Duration = Duration::from_secs(5 * 60);

#[derive(Clone)]
pub struct Settings {
    /// `LISTEN_ADDR`, default `127.0.0.1:4003`.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL`, default the embedded SQLite file `data/orders.db`.
    pub database_url: String,
    /// `REDIS_URL`: flash-sale stock counters and the subscription fan-out.
    /// Without it both are in-process (one replica only).
    pub redis_url: Option<String>,
    /// `AMQP_URL`: RabbitMQ. Without it the broker is in-process.
    pub amqp_url: Option<String>,
    /// `JWKS_URL`, default the users service's JWKS.
    pub jwks: JwksSource,
    /// `CATALOG_URL`, default `http://127.0.0.1:4002`: the catalog's
    /// internal stock API.
    pub catalog_url: String,
    /// `USERS_URL`, default `http://127.0.0.1:4001`: the users service's
    /// internal address lookup.
    pub users_url: String,
    /// `INTERNAL_TOKEN`: sent as `x-internal-token` to the catalog and the
    /// users service, and required on this service's own `/internal/*`
    /// (which the catalog's reservation sweeper calls).
    pub internal_token: String,
    /// `PAYMENT_WEBHOOK_SECRET`: the HMAC-SHA256 key of payment callbacks.
    pub payment_webhook_secret: String,
    /// `ORDER_PAYMENT_TIMEOUT` (seconds, default 1800): an order unpaid
    /// this long is cancelled.
    pub payment_timeout: Duration,
    /// `PAYMENT_CALLBACK_TOLERANCE` (seconds, default 300): a callback
    /// signed longer ago than this, or as far ahead, is refused, so that
    /// a captured one cannot be replayed later.
    pub payment_callback_tolerance: Duration,
    /// `PAYMENT_CALLBACK_URL`: where the built-in sandbox provider sends its
    /// callbacks; default this service's own `/payments/callback`.
    pub payment_callback_url: Option<String>,
    /// `SANDBOX_PAYMENT_DELAY` (seconds, default 0.2): how long the sandbox
    /// provider "processes" a payment before it calls back.
    pub sandbox_payment_delay: Duration,
    /// `SANDBOX_AUTO_CONFIRM` (default 0): whether the sandbox provider
    /// confirms payments on its own. Off, a payment stays pending until a
    /// signed callback comes: the sandbox must never hand out goods for
    /// free in a deployment that forgot to name a real provider.
    pub sandbox_auto_confirm: bool,
    /// `FLASH_SALE_RECONCILE_INTERVAL` (seconds, default 60).
    pub reconcile_interval: Duration,
    /// `FLASH_ORDER_QUEUE_TIMEOUT` (seconds, default 600): an admitted
    /// flash-sale order not stored this long is given up at the next
    /// reconciliation, and its units go back to the sale.
    pub flash_queue_timeout: Duration,
    /// `ORDERS_QUEUE_NAMESPACE` (default `orders`): the prefix of this
    /// deployment's broker queues, shared by its replicas.
    pub queue_namespace: String,
    /// `ORDER_SWEEP_INTERVAL` (seconds, default 60; 0 turns it off): how
    /// often unpaid orders past their timeout and unreleased stock are
    /// looked for, in case their messages were lost.
    pub sweep_interval: Duration,
    /// `ORDER_SWEEP_GRACE` (seconds, default 60): how long past its due
    /// time an order waits for its message before the sweep steps in.
    pub sweep_grace: Duration,
    /// `OUTBOX_POLL_INTERVAL` (seconds, default 0.5).
    pub outbox_poll_interval: Duration,
    /// A broker to use instead of connecting one: the all-in-one process
    /// makes one in-process broker and hands it to every service.
    pub broker: Option<Arc<dyn Broker>>,
    /// A fan-out to use instead of connecting one (likewise shared).
    pub fanout: Option<Arc<dyn Fanout>>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let payment_webhook_secret = match env_opt("PAYMENT_WEBHOOK_SECRET") {
            Some(secret) => secret,
            None => {
                tracing::warn!(
                    "PAYMENT_WEBHOOK_SECRET is not set: generated a random one, so only the \
                     built-in sandbox provider can sign payment callbacks"
                );
                random_token()
            }
        };
        let internal_token = match env_opt("INTERNAL_TOKEN") {
            Some(token) => token,
            None => {
                tracing::warn!(
                    "INTERNAL_TOKEN is not set: the catalog will refuse stock requests and \
                     the users service address lookups"
                );
                random_token()
            }
        };
        Ok(Self {
            listen_addr: listen_addr("LISTEN_ADDR", DEFAULT_PORT)?,
            database_url: database_url("orders")?,
            redis_url: env_opt("REDIS_URL"),
            amqp_url: env_opt("AMQP_URL"),
            jwks: JwksSource::from_env(),
            catalog_url: env_opt("CATALOG_URL").unwrap_or_else(|| "http://127.0.0.1:4002".into()),
            users_url: env_opt("USERS_URL").unwrap_or_else(|| "http://127.0.0.1:4001".into()),
            internal_token,
            payment_webhook_secret,
            payment_timeout: env_secs("ORDER_PAYMENT_TIMEOUT", Duration::from_secs(1800))?,
            payment_callback_tolerance: env_secs(
                "PAYMENT_CALLBACK_TOLERANCE",
                DEFAULT_CALLBACK_TOLERANCE,
            )?,
            payment_callback_url: env_opt("PAYMENT_CALLBACK_URL"),
            sandbox_payment_delay: env_secs("SANDBOX_PAYMENT_DELAY", Duration::from_millis(200))?,
            sandbox_auto_confirm: platform::config::env_flag("SANDBOX_AUTO_CONFIRM", false)?,
            reconcile_interval: env_secs("FLASH_SALE_RECONCILE_INTERVAL", Duration::from_secs(60))?,
            flash_queue_timeout: env_secs("FLASH_ORDER_QUEUE_TIMEOUT", Duration::from_secs(600))?,
            queue_namespace: env_opt("ORDERS_QUEUE_NAMESPACE").unwrap_or_else(|| "orders".into()),
            sweep_interval: env_secs("ORDER_SWEEP_INTERVAL", Duration::from_secs(60))?,
            sweep_grace: env_secs("ORDER_SWEEP_GRACE", Duration::from_secs(60))?,
            outbox_poll_interval: env_secs("OUTBOX_POLL_INTERVAL", Duration::from_millis(500))?,
            broker: None,
            fanout: None,
        })
    }
}

impl fmt::Debug for Settings {
    // Secrets and the injected backends stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen_addr", &self.listen_addr)
            .field("database_url", &"…")
            .field("redis", &self.redis_url.is_some())
            .field("amqp", &self.amqp_url.is_some())
            .field("catalog_url", &self.catalog_url)
            .field("users_url", &self.users_url)
            .field("payment_timeout", &self.payment_timeout)
            .field(
                "payment_callback_tolerance",
                &self.payment_callback_tolerance,
            )
            .field("sandbox_auto_confirm", &self.sandbox_auto_confirm)
            .field("broker_injected", &self.broker.is_some())
            .field("fanout_injected", &self.fanout.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_confirms_payments_only_when_switched_on() {
        // Nothing in the test environment sets SANDBOX_AUTO_CONFIRM.
        let settings = Settings::from_env().expect("settings from a bare environment");
        assert!(!settings.sandbox_auto_confirm);
        assert_eq!(
            settings.payment_callback_tolerance,
            DEFAULT_CALLBACK_TOLERANCE
        );
    }
}
