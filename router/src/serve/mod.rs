//! Serving clients: the [`App`] (bind, serve, graceful shutdown), the HTTP
//! handlers and the request pipeline.

mod apq;
mod http;
mod pipeline;
mod playground;
mod runtime;
mod ws;

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use tokio::net::TcpListener;

pub use http::app;
pub use pipeline::{GraphQLRequest, Outcome, Prepared, handle, plan, prepare, respond};
pub use runtime::{DocumentError, Runtime};

use crate::config::Settings;

/// A bound, ready-to-run router.
pub struct App {
    listener: TcpListener,
    port: u16,
    router: axum::Router,
}

impl App {
    /// Loads the supergraph, sets up the planner and binds the listener
    /// (port 0 picks a free port; [`App::port`] reports it).
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let runtime = Runtime::new(
            &settings.supergraph_sdl,
            &settings.subgraph_url_overrides,
            settings.config.clone(),
        )?;
        let runtime = match settings.jwks {
            Some(jwks) => runtime.with_verifier(platform::auth::JwtVerifier::new(jwks)),
            None => runtime,
        };
        let listener = TcpListener::bind(settings.listen_addr)
            .await
            .with_context(|| format!("binding {}", settings.listen_addr))?;
        let port = listener.local_addr()?.port();
        Ok(App {
            listener,
            port,
            router: app(Arc::new(runtime)),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until `shutdown` resolves, then finishes requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(port = self.port, "router listening");
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving the router")
    }
}
