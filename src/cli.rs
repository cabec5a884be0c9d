//! The `shopgraph` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "shopgraph",
    version,
    about = "ShopGraph: an e-commerce backend as one federated GraphQL graph"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The whole platform in one process on embedded backends (the default).
    All,
    /// The router alone, serving a supergraph file.
    Router {
        /// An Apollo-format supergraph (default: SUPERGRAPH_PATH or schema/supergraph.graphql).
        #[arg(long)]
        supergraph: Option<PathBuf>,
        /// router.yaml (default: ROUTER_CONFIG or router-config/router.yaml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// The users subgraph alone, configured by the environment.
    Users,
    /// The catalog subgraph alone, configured by the environment.
    Catalog,
    /// The orders subgraph alone, configured by the environment.
    Orders,
    /// The search subgraph alone, configured by the environment.
    Search {
        #[command(subcommand)]
        command: Option<SearchCommand>,
    },
    /// Applies a service's migrations to DATABASE_URL.
    Migrate { service: Service },
    /// Seeds the demo users (users) or demo catalog (catalog) into DATABASE_URL.
    Seed { service: Service },
    /// Composes the subgraphs listed in the config into a supergraph.
    Compose {
        #[arg(long, default_value = "router-config/supergraph.yaml")]
        config: PathBuf,
        #[arg(long, default_value = "schema/supergraph.graphql")]
        output: PathBuf,
    },
    /// Exits 0 when URL answers 200 (for container health checks).
    Healthcheck { url: String },
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuilds the index from the catalog and swaps it in.
    Reindex,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Service {
    Users,
    Catalog,
    Orders,
    Search,
}
