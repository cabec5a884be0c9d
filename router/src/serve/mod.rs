//! Serving clients: the [`App`] (bind, serve, graceful shutdown), the HTTP
//! handlers, the request pipeline and reloads without restart.

mod admission;
mod apq;
mod diagnostics;
mod http;
mod introspection;
mod one_of;
mod outcome;
mod pipeline;
mod playground;
mod reload;
mod runtime;
mod variables;
mod ws;

use std::{future::Future, sync::Arc};

use anyhow::Context;
use tokio::net::TcpListener;

pub use http::app;
pub use pipeline::{
    GraphQLRequest, Outcome, Prepared, ResponseBody, handle, plan, prepare, respond,
};
pub use runtime::{DocumentError, Runtime};

use crate::config::Settings;

/// A bound, ready-to-run router.
pub struct App {
    listener: TcpListener,
    port: u16,
    live: reload::LiveApp,
    /// Reloads the settings' files when they change.
    watcher: Option<reload::Watcher>,
}

impl App {
    /// Loads the supergraph, sets up the planner and binds the listener
    /// (port 0 picks a free port; [`App::port`] reports it).
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let mut factory = reload::RuntimeFactory::new(&settings)?;
        let runtime = factory.build(&settings.supergraph_sdl, settings.config.clone())?;
        let live = reload::LiveApp::new(app(Arc::new(runtime)));
        let watcher = reload::Watcher::new(factory, live.clone(), &settings);
        let (listener, port) = platform::server::bind(settings.listen_addr).await?;
        Ok(App {
            listener,
            port,
            live,
            watcher,
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
        let watching = self.watcher.map(|watcher| tokio::spawn(watcher.run()));
        let served = platform::server::serve(self.listener, self.live.router(), shutdown)
            .await
            .context("serving the router");
        if let Some(watching) = watching {
            watching.abort();
        }
        served
    }
}
