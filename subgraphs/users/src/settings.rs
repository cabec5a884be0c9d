//! The users service's configuration, from the environment.

use std::{net::SocketAddr, time::Duration};

use platform::{
    config::{database_url, env_flag, env_opt, env_parse, env_secs, listen_addr},
    internal::{random_token, token_from_env},
};

/// Default access-token lifetime: short, since only freezing an account
/// revokes access tokens before they expire.
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// Default refresh-token lifetime (each refresh starts it again).
pub const DEFAULT_REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

#[derive(Clone)]
pub struct Settings {
    /// `LISTEN_ADDR`, default `127.0.0.1:4001`; port 0 picks a free port.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL` (`postgres://…` or `sqlite://…`), default the embedded
    /// SQLite file `data/users.db`.
    pub database_url: String,
    /// `ACCESS_TOKEN_TTL` in seconds, default 900.
    pub access_token_ttl: Duration,
    /// `REFRESH_TOKEN_TTL` in seconds, default 30 days.
    pub refresh_token_ttl: Duration,
    /// `SEED_DEMO=1`: create the demo accounts at start (never twice).
    pub seed_demo: bool,
    /// `INTERNAL_TOKEN`: the shared secret of `/internal/*` (the orders
    /// service reads shipping addresses there). When unset a random one is
    /// generated and a warning logged, which closes the internal API to
    /// everyone not handed this value in-process.
    pub internal_token: String,
    /// `REDIS_URL`: the token revocation list every service reads. Without
    /// it the list is in-process (the all-in-one process).
    pub redis_url: Option<String>,
    /// How many failed logins are allowed before login is refused for a
    /// while; counted in Redis when `REDIS_URL` is set.
    pub login_throttle: LoginThrottleSettings,
}

/// Failed logins allowed per account and per client within one window.
#[derive(Clone, Debug)]
pub struct LoginThrottleSettings {
    /// `LOGIN_MAX_FAILURES_PER_ACCOUNT`, default 5: guessing one account's
    /// password from many addresses.
    pub max_failures_per_account: u32,
    /// `LOGIN_MAX_FAILURES_PER_CLIENT`, default 20: one address trying many
    /// accounts (and making the service run argon2 for each).
    pub max_failures_per_client: u32,
    /// `LOGIN_FAILURE_WINDOW` in seconds, default 900: a window opens with
    /// the first failure; when it ends the count starts again.
    pub window: Duration,
    /// `LOGIN_TRUST_FORWARDED_FOR=1`: the client is the last
    /// `X-Forwarded-For` entry, which the router sets; only when every
    /// request comes through it (else a client picks its own address).
    /// Unset, the client is the connection's peer.
    pub trust_forwarded_for: bool,
    /// Prefix of the counters' keys (`LOGIN_THROTTLE_KEY_PREFIX`), so that
    /// stacks sharing one Redis can keep their own.
    pub key_prefix: String,
}

impl Default for LoginThrottleSettings {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_client: 20,
            window: Duration::from_secs(15 * 60),
            trust_forwarded_for: false,
            key_prefix: "users:login".into(),
        }
    }
}

impl LoginThrottleSettings {
    fn from_env() -> anyhow::Result<Self> {
        let default = Self::default();
        let settings = Self {
            max_failures_per_account: env_parse(
                "LOGIN_MAX_FAILURES_PER_ACCOUNT",
                default.max_failures_per_account,
            )?,
            max_failures_per_client: env_parse(
                "LOGIN_MAX_FAILURES_PER_CLIENT",
                default.max_failures_per_client,
            )?,
            window: env_secs("LOGIN_FAILURE_WINDOW", default.window)?,
            trust_forwarded_for: env_flag("LOGIN_TRUST_FORWARDED_FOR", false)?,
            key_prefix: env_opt("LOGIN_THROTTLE_KEY_PREFIX").unwrap_or(default.key_prefix),
        };
        if settings.max_failures_per_account == 0
            || settings.max_failures_per_client == 0
            || settings.window.is_zero()
        {
            anyhow::bail!("the LOGIN_* limits and window must be at least 1");
        }
        Ok(settings)
    }
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url = database_url("users")?;
        let access_token_ttl = env_secs("ACCESS_TOKEN_TTL", DEFAULT_ACCESS_TOKEN_TTL)?;
        if access_token_ttl.is_zero() {
            anyhow::bail!("ACCESS_TOKEN_TTL must be at least one second");
        }
        Ok(Self {
            listen_addr: listen_addr("LISTEN_ADDR", 4001)?,
            database_url,
            access_token_ttl,
            refresh_token_ttl: env_secs("REFRESH_TOKEN_TTL", DEFAULT_REFRESH_TOKEN_TTL)?,
            seed_demo: platform::config::env_flag("SEED_DEMO", false)?,
            internal_token: token_from_env("users"),
            redis_url: env_opt("REDIS_URL"),
            login_throttle: LoginThrottleSettings::from_env()?,
        })
    }

    /// Settings for `database_url` with every other value at its default
    /// and a free port: for tests and embedding.
    pub fn with_database(database_url: impl Into<String>) -> Self {
        Self {
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            access_token_ttl: DEFAULT_ACCESS_TOKEN_TTL,
            refresh_token_ttl: DEFAULT_REFRESH_TOKEN_TTL,
            seed_demo: false,
            internal_token: random_token(),
            redis_url: None,
            login_throttle: LoginThrottleSettings::default(),
        }
    }
}

// By hand, so the internal token never reaches a log.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen_addr", &self.listen_addr)
            .field("database_url", &self.database_url)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("seed_demo", &self.seed_demo)
            .field("internal_token", &"[redacted]")
            .field("redis", &self.redis_url.is_some())
            .field("login_throttle", &self.login_throttle)
            .finish()
    }
}
