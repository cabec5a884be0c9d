//! The whole platform in one process: the four subgraphs and the router,
//! sharing one in-process broker and fan-out (or RabbitMQ and Redis when
//! their URLs are given), each service on its own database.
//!
//! Services start in dependency order, each serving before the next is
//! built: catalog verifies tokens against the users service's JWKS, orders
//! reserves stock through catalog, search indexes catalog's products at
//! first start, and the router composes the subgraphs' SDL at their real ports.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use platform::{
    auth::JwksSource,
    events::{self, AmqpBroker, Broker},
    fanout::{self, Fanout},
};
use router::{
    RouterConfig,
    compose::{SubgraphDefinition, compose},
};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Where each service keeps its data.
#[derive(Clone, Debug)]
pub struct DatabaseUrls {
    pub users: String,
    pub catalog: String,
    pub orders: String,
    pub search: String,
}

impl DatabaseUrls {
    /// SQLite files under the data directory, one per service.
    pub fn embedded() -> anyhow::Result<Self> {
        use platform::config::embedded_database_url as url;
        Ok(Self {
            users: url("users")?,
            catalog: url("catalog")?,
            orders: url("orders")?,
            search: url("search")?,
        })
    }
}

/// How to run the stack.
#[derive(Clone, Debug)]
pub struct StackOptions {
    /// The router's port; the subgraphs take the next four (users, catalog,
    /// orders, search). 0 puts every service on an ephemeral port.
    pub base_port: u16,
    pub databases: DatabaseUrls,
    /// Redis for caches, flash-sale counters and subscription fan-out;
    /// in-process when `None`.
    pub redis_url: Option<String>,
    /// RabbitMQ for events and order timeouts; in-process when `None`.
    pub amqp_url: Option<String>,
    /// Seed the demo users and catalog on first start.
    pub seed_demo: bool,
    pub router_config: RouterConfig,
    /// The search service's tantivy index; `None`: `SEARCH_INDEX_DIR` or
    /// `<data dir>/search-index`. Stacks that run side by side (tests)
    /// each need their own, as each has its own catalog.
    pub search_index_dir: Option<PathBuf>,
    /// A prefix for the services' broker queue names (`<prefix>.catalog`,
    /// `<prefix>.orders`, `<prefix>.search`) and for the users service's
    /// login-failure counters in Redis (`<prefix>:login`); `None`: each
    /// service's own default. Stacks sharing one RabbitMQ or Redis need
    /// distinct prefixes, or they share each other's messages or counters.
    pub queue_namespace: Option<String>,
    /// RabbitMQ deletes the services' queues this long after their last
    /// consumer left: for short-lived stacks (tests) on a shared RabbitMQ.
    /// `None` (production): queues never expire.
    pub queue_expiry: Option<Duration>,
    /// Whether the orders service's sandbox payment provider confirms
    /// payments by itself; `None`: `SANDBOX_AUTO_CONFIRM` (off by default).
    pub sandbox_auto_confirm: Option<bool>,
}

/// The running platform.
pub struct Stack {
    pub router_port: u16,
    pub users_port: u16,
    pub catalog_port: u16,
    pub orders_port: u16,
    pub search_port: u16,
    shutdown: CancellationToken,
    tasks: JoinSet<(&'static str, anyhow::Result<()>)>,
}

impl Stack {
    pub async fn start(options: StackOptions) -> anyhow::Result<Self> {
        let shutdown = CancellationToken::new();
        let mut tasks = JoinSet::new();
        let port = |offset: u16| {
            let port = if options.base_port == 0 {
                0
            } else {
                options.base_port + offset
            };
            SocketAddr::from(([127, 0, 0, 1], port))
        };
        let broker: Arc<dyn Broker> = match (&options.amqp_url, options.queue_expiry) {
            (Some(url), Some(expiry)) => {
                Arc::new(AmqpBroker::connect(url).await?.with_queue_expiry(expiry))
            }
            (url, _) => events::connect(url.as_deref()).await?,
        };
        let fanout: Arc<dyn Fanout> = fanout::connect(options.redis_url.as_deref()).await?;
        // The internal APIs' shared secret, known only to this process.
        let internal_token = platform::internal::random_token();

        let mut users = users::Settings::from_env()?;
        users.listen_addr = port(1);
        users.database_url = options.databases.users.clone();
        users.seed_demo = options.seed_demo;
        users.internal_token = internal_token.clone();
        users.redis_url = options.redis_url.clone();
        // The router in front sets X-Forwarded-For to the client it sees.
        users.login_throttle.trust_forwarded_for = true;
        if let Some(namespace) = &options.queue_namespace {
            users.login_throttle.key_prefix = format!("{namespace}:login");
        }
        let users = users::App::build(users).await.context("starting users")?;
        let users_port = users.port();
        spawn(
            &mut tasks,
            "users",
            users.run_until_stopped(shutdown.clone().cancelled_owned()),
        );
        let jwks_url = format!("http://127.0.0.1:{users_port}/.well-known/jwks.json");

        let mut catalog = catalog::Settings::from_env()?;
        catalog.listen_addr = port(2);
        catalog.database_url = options.databases.catalog.clone();
        catalog.redis_url = options.redis_url.clone();
        catalog.jwks = JwksSource::Url(jwks_url.clone());
        catalog.internal_token = internal_token.clone();
        catalog.seed_demo = options.seed_demo;
        catalog.broker = Some(broker.clone());
        if let Some(prefix) = &options.queue_namespace {
            catalog.queue_namespace = format!("{prefix}.catalog");
        }
        // The reservation sweeper asks the orders service, which starts
        // after the catalog: its address is known now only on fixed ports.
        // On port 0 (tests) the sweeper stays off rather than ask a guess.
        match options.base_port {
            0 => catalog.reservation_sweep_interval = Duration::ZERO,
            _ => catalog.orders_url = format!("http://{}", port(3)),
        }
        let catalog = catalog::App::build(catalog)
            .await
            .context("starting catalog")?;
        let catalog_port = catalog.port();
        spawn(
            &mut tasks,
            "catalog",
            catalog.run_until_stopped(shutdown.clone().cancelled_owned()),
        );
        let catalog_url = format!("http://127.0.0.1:{catalog_port}");

        let mut orders = orders::Settings::from_env()?;
        orders.listen_addr = port(3);
        orders.database_url = options.databases.orders.clone();
        orders.redis_url = options.redis_url.clone();
        orders.jwks = JwksSource::Url(jwks_url.clone());
        orders.catalog_url = catalog_url.clone();
        orders.users_url = format!("http://127.0.0.1:{users_port}");
        orders.internal_token = internal_token.clone();
        if let Some(auto_confirm) = options.sandbox_auto_confirm {
            orders.sandbox_auto_confirm = auto_confirm;
        }
        orders.broker = Some(broker.clone());
        orders.fanout = Some(fanout.clone());
        if let Some(prefix) = &options.queue_namespace {
            orders.queue_namespace = format!("{prefix}.orders");
        }
        let orders = orders::App::build(orders)
            .await
            .context("starting orders")?;
        let orders_port = orders.port();
        spawn(
            &mut tasks,
            "orders",
            orders.run_until_stopped(shutdown.clone().cancelled_owned()),
        );

        let mut search = search::Settings::from_env()?;
        search.listen_addr = port(4);
        search.database_url = options.databases.search.clone();
        search.jwks = JwksSource::Url(jwks_url.clone());
        search.redis_url = options.redis_url.clone();
        search.catalog_url = catalog_url;
        search.internal_token = Some(internal_token);
        search.broker = Some(broker);
        if let Some(dir) = options.search_index_dir {
            search.index_dir = dir;
        }
        if let Some(prefix) = &options.queue_namespace {
            search.queue_namespace = format!("{prefix}.search");
        }
        let search = search::App::build(search)
            .await
            .context("starting search")?;
        let search_port = search.port();
        spawn(
            &mut tasks,
            "search",
            search.run_until_stopped(shutdown.clone().cancelled_owned()),
        );

        let subgraphs = [
            ("users", users_port, users::sdl()),
            ("catalog", catalog_port, catalog::sdl()),
            ("orders", orders_port, orders::sdl()),
            ("search", search_port, search::sdl()),
        ]
        .map(|(name, port, sdl)| {
            SubgraphDefinition::new(name, format!("http://127.0.0.1:{port}/graphql"), sdl)
        });
        let supergraph = compose(&subgraphs).map_err(|errors| {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("the subgraphs do not compose:\n{}", list.join("\n"))
        })?;
        let mut router = router::Settings::new(supergraph.into_sdl());
        router.listen_addr = port(0);
        router.config = options.router_config;
        router.jwks = Some(JwksSource::Url(jwks_url));
        // Rate-limit buckets live in Redis when there is one, shared by replicas.
        router.redis_url = options.redis_url.clone();
        let router = router::App::build(router)
            .await
            .context("starting the router")?;
        let router_port = router.port();
        spawn(
            &mut tasks,
            "router",
            router.run_until_stopped(shutdown.clone().cancelled_owned()),
        );

        Ok(Self {
            router_port,
            users_port,
            catalog_port,
            orders_port,
            search_port,
            shutdown,
            tasks,
        })
    }

    /// A handle that stops every service when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Runs until every service has stopped; the first one that fails stops
    /// the rest, and its error is returned.
    pub async fn wait(mut self) -> anyhow::Result<()> {
        let mut result = Ok(());
        while let Some(joined) = self.tasks.join_next().await {
            let (name, outcome) = joined.context("a service task panicked")?;
            if let Err(e) = outcome {
                self.shutdown.cancel();
                if result.is_ok() {
                    result = Err(e.context(format!("{name} stopped")));
                }
            } else if !self.shutdown.is_cancelled() {
                self.shutdown.cancel();
            }
        }
        result
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

fn spawn(
    tasks: &mut JoinSet<(&'static str, anyhow::Result<()>)>,
    name: &'static str,
    run: impl Future<Output = anyhow::Result<()>> + Send + 'static,
) {
    tasks.spawn(async move { (name, run.await) });
}
