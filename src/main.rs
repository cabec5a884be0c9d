//! `shopgraph`: with no arguments, the whole platform in one process on
//! embedded backends; with a subcommand, one service or a tool (see `--help`).

use anyhow::Context;
use clap::Parser;
use platform::{
    config::env_opt,
    db::Db,
    server::shutdown_signal,
    telemetry::{get_subscriber, init_subscriber},
};
use shopgraph::{
    cli::{Cli, Command, SearchCommand, Service},
    stack::{DatabaseUrls, Stack, StackOptions},
};

/// Many short-lived allocations per request (JSON in and out, plans,
/// entity batches): mimalloc serves them with less CPU than glibc's malloc
/// (benches/RESULTS.md, allocator section).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: platform::allocator::MiMalloc = platform::allocator::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_subscriber(get_subscriber("info", std::io::stdout));
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::All) {
        Command::All => all_in_one().await,
        Command::Router { supergraph, config } => {
            let files = router::RouterFiles { supergraph, config };
            let app = router::App::build(router::Settings::from_env(files)?).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Users => {
            let app = users::App::build(users::Settings::from_env()?).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Catalog => {
            let app = catalog::App::build(catalog::Settings::from_env()?).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Orders => {
            let app = orders::App::build(orders::Settings::from_env()?).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Search { command: None } => {
            let app = search::App::build(search::Settings::from_env()?).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Search {
            command: Some(SearchCommand::Reindex),
        } => {
            let searchable = search::reindex(&search::Settings::from_env()?).await?;
            tracing::info!(searchable, "reindexed");
            Ok(())
        }
        Command::Migrate { service } => {
            let db = database().await?;
            db.migrate(migrations(service)).await?;
            tracing::info!(?service, "migrated");
            Ok(())
        }
        Command::Seed { service } => {
            let db = database().await?;
            db.migrate(migrations(service)).await?;
            match service {
                Service::Users => users::seed_demo(&db).await?,
                Service::Catalog => {
                    catalog::seed_demo(&db).await?;
                }
                Service::Orders | Service::Search => {
                    anyhow::bail!("only users and catalog have demo data")
                }
            }
            tracing::info!(?service, "seeded");
            Ok(())
        }
        Command::Compose { config, output } => {
            let supergraph = router::compose::compose_from_config(&config).await?;
            std::fs::write(&output, supergraph)
                .with_context(|| format!("writing {}", output.display()))?;
            tracing::info!(output = %output.display(), "composed");
            Ok(())
        }
        Command::Healthcheck { url } => {
            let response = reqwest::get(&url).await?;
            anyhow::ensure!(
                response.status().is_success(),
                "{url}: {}",
                response.status()
            );
            Ok(())
        }
    }
}

/// `cargo run`: every service on embedded backends (or Redis/RabbitMQ when
/// REDIS_URL/AMQP_URL are set), seeded with the demo data on first start.
async fn all_in_one() -> anyhow::Result<()> {
    let stack = Stack::start(StackOptions {
        base_port: platform::config::env_parse("SHOPGRAPH_PORT", 4000)?,
        databases: DatabaseUrls::embedded()?,
        redis_url: env_opt("REDIS_URL"),
        amqp_url: env_opt("AMQP_URL"),
        seed_demo: true,
        router_config: router::RouterConfig::from_env()?,
        search_index_dir: None,
        queue_namespace: None,
        queue_expiry: None,
        sandbox_auto_confirm: None,
    })
    .await?;
    tracing::info!(
        "ShopGraph is up: router and playground on http://localhost:{}",
        stack.router_port
    );
    let token = stack.shutdown_token();
    tokio::spawn(async move {
        shutdown_signal().await;
        token.cancel();
    });
    stack.wait().await
}

async fn database() -> anyhow::Result<Db> {
    let url = env_opt("DATABASE_URL").context("DATABASE_URL is required")?;
    Db::connect(&url).await
}

fn migrations(service: Service) -> &'static platform::db::Migrations {
    match service {
        Service::Users => &users::MIGRATIONS,
        Service::Catalog => &catalog::MIGRATIONS,
        Service::Orders => &orders::MIGRATIONS,
        Service::Search => &search::MIGRATIONS,
    }
}
