//! The backends a run uses, each behind a TCP proxy the suite can cut:
//! PostgreSQL, Redis and RabbitMQ when CI switches them on
//! (`TEST_DATABASE_URL`, `TEST_REDIS_URL`, `TEST_AMQP_URL`), SQLite files and
//! in-process brokers otherwise. The services connect through the proxies;
//! the invariant checks read the databases directly, so a cut never hides
//! what was stored.

use std::net::SocketAddr;

use platform::{
    events::proxy::TcpProxy,
    testing::{self, TestEngine},
};

/// Which real backends a scenario wants; each must be switched on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Wanted {
    pub postgres: bool,
    pub redis: bool,
    pub rabbitmq: bool,
}

impl Wanted {
    /// Every backend CI switched on.
    pub fn switched_on() -> Wanted {
        Wanted {
            postgres: testing::engines().contains(&TestEngine::Postgres),
            redis: testing::redis_url().is_some(),
            rabbitmq: testing::amqp_url().is_some(),
        }
    }
}

/// A backend reached through a proxy: the URL the services get, and the
/// proxy that can cut it.
pub struct Proxied {
    pub url: String,
    pub proxy: TcpProxy,
}

pub struct Backends {
    /// What the invariant checks read: the databases themselves.
    pub catalog_db: String,
    pub orders_db: String,
    /// What the services are given (through the PostgreSQL proxy, if any).
    pub catalog_db_for_service: String,
    pub orders_db_for_service: String,
    pub postgres: Option<TcpProxy>,
    pub redis: Option<Proxied>,
    pub rabbitmq: Option<Proxied>,
}

impl Backends {
    pub async fn start(wanted: Wanted) -> Backends {
        let engine = if wanted.postgres {
            TestEngine::Postgres
        } else {
            TestEngine::Sqlite
        };
        let catalog_db = fresh(engine).await;
        let orders_db = fresh(engine).await;
        let (postgres, catalog_db_for_service, orders_db_for_service) = if wanted.postgres {
            let upstream = through(&catalog_db, "127.0.0.1:1".parse().unwrap()).1;
            let proxy = TcpProxy::start(upstream)
                .await
                .expect("the PostgreSQL proxy");
            let catalog = through(&catalog_db, proxy.addr()).0;
            let orders = through(&orders_db, proxy.addr()).0;
            (Some(proxy), catalog, orders)
        } else {
            (None, catalog_db.clone(), orders_db.clone())
        };
        let redis = match wanted.redis {
            true => Some(proxied(&testing::required_redis_url()).await),
            false => None,
        };
        let rabbitmq = match wanted.rabbitmq {
            true => Some(proxied(&testing::required_amqp_url()).await),
            false => None,
        };
        Backends {
            catalog_db,
            orders_db,
            catalog_db_for_service,
            orders_db_for_service,
            postgres,
            redis,
            rabbitmq,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "database {}, Redis {}, RabbitMQ {}",
            if self.postgres.is_some() {
                "PostgreSQL"
            } else {
                "SQLite"
            },
            if self.redis.is_some() {
                "on"
            } else {
                "in-process"
            },
            if self.rabbitmq.is_some() {
                "on"
            } else {
                "in-process"
            },
        )
    }
}

async fn fresh(engine: TestEngine) -> String {
    testing::fresh_database_url(engine)
        .await
        .unwrap_or_else(|e| panic!("a fresh {engine} database: {e:#}"))
}

async fn proxied(url: &str) -> Proxied {
    let upstream = through(url, "127.0.0.1:1".parse().unwrap()).1;
    let proxy = TcpProxy::start(upstream).await.expect("a proxy starts");
    Proxied {
        url: through(url, proxy.addr()).0,
        proxy,
    }
}

/// `url` with its host:port replaced by `addr`, and the address it named.
fn through(url: &str, addr: SocketAddr) -> (String, SocketAddr) {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (auth, rest) = rest.rsplit_once('@').map_or(("", rest), |(a, r)| (a, r));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let upstream: SocketAddr = host
        .replace("localhost", "127.0.0.1")
        .parse()
        .unwrap_or_else(|_| panic!("{url} names an IP address and port"));
    let at = if auth.is_empty() {
        String::new()
    } else {
        format!("{auth}@")
    };
    (format!("{scheme}://{at}{addr}/{path}"), upstream)
}
