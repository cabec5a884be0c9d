//! `search`: the search service alone, configured by environment (see
//! `Settings::from_env`); `search reindex` rebuilds its index from the
//! catalog and exits. The `shopgraph` binary wires the same `App` and
//! `reindex`.

use platform::telemetry::{get_subscriber, init_subscriber};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let settings = search::Settings::from_env()?;
    match std::env::args().nth(1).as_deref() {
        None => {
            let app = search::App::build(settings).await?;
            app.run_until_stopped(platform::server::shutdown_signal())
                .await
        }
        Some("reindex") => {
            let searchable = search::reindex(&settings).await?;
            tracing::info!(searchable, "reindexed");
            Ok(())
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; usage: search [reindex]"),
    }
}
