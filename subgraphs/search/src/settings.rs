//! The search service's configuration, read from the environment.

use std::{fmt, net::SocketAddr, path::PathBuf, sync::Arc};

use platform::{
    auth::JwksSource,
    config::{data_dir, database_url, env_opt, listen_addr},
    events::Broker,
};

/// The default port of the search service.
pub const DEFAULT_PORT: u16 = 4004;

#[derive(Clone)]
pub struct Settings {
    /// `LISTEN_ADDR`, default `127.0.0.1:4004`.
    pub listen_addr: SocketAddr,
    /// `DATABASE_URL`, default the embedded SQLite file `data/search.db`.
    /// It holds only the ids of the events already applied.
    pub database_url: String,
    /// `AMQP_URL`: RabbitMQ. Without it the broker is in-process.
    pub amqp_url: Option<String>,
    /// `REDIS_URL`: the token revocation list (frozen accounts). Without
    /// it the list is in-process (the all-in-one process).
    pub redis_url: Option<String>,
    /// `JWKS_URL`, default the users service's JWKS.
    pub jwks: JwksSource,
    /// `CATALOG_URL`, default `http://127.0.0.1:4002`: the catalog's
    /// internal products API that a full reindex reads.
    pub catalog_url: String,
    /// `INTERNAL_TOKEN`: sent as `x-internal-token` to the catalog.
    pub internal_token: Option<String>,
    /// `ELASTICSEARCH_URL`: search on Elasticsearch instead of tantivy.
    pub elasticsearch_url: Option<String>,
    /// `ELASTICSEARCH_INDEX`, default `shopgraph-products`: the alias that
    /// searches go to.
    pub elasticsearch_index: String,
    /// `SEARCH_INDEX_DIR`, default `<data dir>/search-index`: the tantivy index.
    pub index_dir: PathBuf,
    /// `SEARCH_REINDEX_ON_EMPTY` (default 1): whether `App::build` fills an
    /// empty index from the catalog.
    pub reindex_on_empty: bool,
    /// `SEARCH_QUEUE_NAMESPACE` (default `search`): the prefix of this
    /// deployment's queues, shared by its replicas.
    pub queue_namespace: String,
    /// A broker to use instead of connecting one: the all-in-one process
    /// makes one in-process broker and hands it to every service.
    pub broker: Option<Arc<dyn Broker>>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            listen_addr: listen_addr("LISTEN_ADDR", DEFAULT_PORT)?,
            database_url: database_url("search")?,
            amqp_url: env_opt("AMQP_URL"),
            redis_url: env_opt("REDIS_URL"),
            jwks: JwksSource::from_env(),
            catalog_url: env_opt("CATALOG_URL").unwrap_or_else(|| "http://127.0.0.1:4002".into()),
            internal_token: env_opt("INTERNAL_TOKEN"),
            elasticsearch_url: env_opt("ELASTICSEARCH_URL"),
            elasticsearch_index: env_opt("ELASTICSEARCH_INDEX")
                .unwrap_or_else(|| "shopgraph-products".into()),
            index_dir: match env_opt("SEARCH_INDEX_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => data_dir()?.join("search-index"),
            },
            reindex_on_empty: platform::config::env_flag("SEARCH_REINDEX_ON_EMPTY", true)?,
            queue_namespace: env_opt("SEARCH_QUEUE_NAMESPACE").unwrap_or_else(|| "search".into()),
            broker: None,
        })
    }
}

impl fmt::Debug for Settings {
    // Secrets and the injected broker stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen_addr", &self.listen_addr)
            .field("database_url", &"…")
            .field("amqp", &self.amqp_url.is_some())
            .field("redis", &self.redis_url.is_some())
            .field("catalog_url", &self.catalog_url)
            .field("internal_token", &self.internal_token.is_some())
            .field("elasticsearch", &self.elasticsearch_url.is_some())
            .field("elasticsearch_index", &self.elasticsearch_index)
            .field("index_dir", &self.index_dir)
            .field("queue_namespace", &self.queue_namespace)
            .field("broker_injected", &self.broker.is_some())
            .finish_non_exhaustive()
    }
}
