//! The backends a run uses, each behind a TCP proxy the suite can cut:
//! PostgreSQL, Redis and RabbitMQ when CI switches them on
//! (`TEST_DATABASE_URL`, `TEST_REDIS_URL`, `TEST_AMQP_URL`), SQLite files and
//! in-process brokers otherwise. The services connect through the proxies;
//! the invariant checks read the databases directly, so a cut never hides
//! what was stored.

use platform::{
    events::proxy::TcpProxy,
    testing::{self, Proxied, TestEngine},
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
            // One proxy for both: they are databases on one server.
            let Proxied {
                url: catalog,
                proxy,
            } = testing::proxied(&catalog_db)
                .await
                .expect("the PostgreSQL proxy");
            let orders = testing::through(&orders_db, proxy.addr()).expect("a database URL");
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
    testing::proxied(url).await.expect("a proxy starts")
}
