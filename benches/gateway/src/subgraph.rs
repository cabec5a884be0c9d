//! One subgraph: its federation SDL and its app, bound to a port, served.

use std::{future::Future, net::SocketAddr};

use async_graphql::{EmptyMutation, EmptySubscription, ObjectType, SDLExportOptions, Schema};
use async_graphql_axum::GraphQL;
use axum::{Router, routing::post_service};
use tokio::net::TcpListener;

/// A subgraph not yet listening.
pub struct Subgraph {
    pub name: &'static str,
    /// The Federation v2 SDL that `_service { sdl }` serves.
    pub sdl: String,
    /// `POST /graphql`. Public so that a test can wrap it (to count the
    /// router's requests, say) before binding.
    pub app: Router,
}

impl Subgraph {
    pub(crate) fn new<Q: ObjectType + 'static>(name: &'static str, query: Q) -> Self {
        let schema = Schema::build(query, EmptyMutation, EmptySubscription)
            .enable_federation()
            .finish();
        // The options `_service { sdl }` serves it with.
        let sdl = schema.sdl_with_options(SDLExportOptions::new().federation().compose_directive());
        // No GraphQL-over-HTTP negotiation, auth or health route as the
        // platform's subgraphs have: the benchmark's subgraphs only answer
        // the router, and should spend as little as possible doing it.
        let app = Router::new().route("/graphql", post_service(GraphQL::new(schema)));
        Self { name, sdl, app }
    }

    /// Binds 127.0.0.1:`port` (0 picks a free port).
    pub async fn bind(self, port: u16) -> anyhow::Result<BoundSubgraph> {
        let (listener, port) =
            platform::server::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
        Ok(BoundSubgraph {
            name: self.name,
            sdl: self.sdl,
            port,
            listener,
            app: self.app,
        })
    }
}

/// A subgraph bound to its port, not yet serving.
pub struct BoundSubgraph {
    pub name: &'static str,
    pub sdl: String,
    pub port: u16,
    listener: TcpListener,
    app: Router,
}

impl BoundSubgraph {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.port)
    }

    /// Serves until `shutdown` resolves, finishing the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        platform::server::serve(self.listener, self.app, shutdown).await
    }
}
