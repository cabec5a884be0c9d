//! `gateway-subgraphs`: the four subgraphs of the gateway benchmark in one
//! process, accounts on the base port (`--base-port`, else
//! `GATEWAY_BASE_PORT`, else 4301), inventory, products and reviews on the
//! next three, each at `POST /graphql`, until ctrl-c or SIGTERM;
//! `--remember-answers` answers a request seen before from memory.

use clap::Parser;
use gateway_subgraphs::Answers;
use platform::{
    config::env_parse,
    server::shutdown_signal,
    telemetry::{get_subscriber, init_subscriber},
};
use tokio_util::sync::CancellationToken;

/// The allocator the routers under test use too: with glibc's malloc a
/// fifth of these subgraphs' CPU was allocation, CPU the machine's cores
/// then could not give the routers (benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: platform::allocator::MiMalloc = platform::allocator::MiMalloc;

#[derive(Parser)]
#[command(about = "The gateway benchmark's subgraphs (benches/README.md)")]
struct Args {
    /// accounts' port; inventory, products and reviews take the next three.
    #[arg(long)]
    base_port: Option<u16>,
    /// Answer a request body seen before with the answer it got then
    /// (`Answers::Remembered`), as benches/run.sh runs them.
    #[arg(long)]
    remember_answers: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let args = Args::parse();
    let base_port = match args.base_port {
        Some(port) => port,
        None => env_parse("GATEWAY_BASE_PORT", 4301)?,
    };
    let answers = if args.remember_answers {
        Answers::Remembered
    } else {
        Answers::Executed
    };
    let stop = CancellationToken::new();
    let mut servers = Vec::new();
    for (port, subgraph) in (base_port..).zip(gateway_subgraphs::subgraphs(answers)) {
        let bound = subgraph.bind(port).await?;
        tracing::info!(subgraph = bound.name, url = %bound.url(), "listening");
        servers.push(bound.run_until_stopped(stop.clone().cancelled_owned()));
    }
    tokio::spawn(async move {
        shutdown_signal().await;
        stop.cancel();
    });
    // Ends when all four have finished after the signal, or as soon as one fails.
    futures::future::try_join_all(servers).await?;
    Ok(())
}
