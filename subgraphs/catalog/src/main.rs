//! `catalog`: the catalog service alone, configured by environment (see
//! `Settings::from_env`). The `shopgraph` binary wires the same `App`.

use platform::telemetry::{get_subscriber, init_subscriber};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let settings = catalog::Settings::from_env()?;
    let app = catalog::App::build(settings).await?;
    app.run_until_stopped(platform::server::shutdown_signal())
        .await
}
