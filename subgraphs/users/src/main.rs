//! `users`: the users subgraph on its own, configured by the environment
//! (see `Settings::from_env`). The `shopgraph` binary wires the same `App`.

use platform::{
    server::shutdown_signal,
    telemetry::{get_subscriber, init_subscriber},
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let settings = users::Settings::from_env()?;
    let app = users::App::build(settings).await?;
    app.run_until_stopped(shutdown_signal()).await
}
