//! `orders`: the orders subgraph on its own, configured by the environment
//! (see `Settings::from_env`). The `shopgraph` binary wires the same `App`,
//! handing it the broker and fan-out it shares with the other services.

use platform::{
    server::shutdown_signal,
    telemetry::{get_subscriber, init_subscriber},
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let settings = orders::Settings::from_env()?;
    let app = orders::App::build(settings).await?;
    app.run_until_stopped(shutdown_signal()).await
}
