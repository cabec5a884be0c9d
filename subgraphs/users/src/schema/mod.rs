//! The users subgraph's entry points: the GraphQL schema (roots, entity
//! resolution, one file per type), and beside it [`internal`], the internal
//! HTTP API. The GraphQL part knows nothing about HTTP.

mod address;
mod guard;
mod inputs;
pub mod internal;
mod mutation;
mod payloads;
mod query;
mod user;

use async_graphql::{EmptySubscription, SDLExportOptions, Schema, dataloader::DataLoader};
use platform::{
    federation::{FederationImports, import_authenticated},
    limits,
};

pub use mutation::Mutation;
pub use query::Query;

use crate::{
    service::Services,
    store::loaders::{AddressesLoader, UserLoader},
};

pub type UsersSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema with its data: the services and the loaders (shared by all
/// requests; they batch but do not cache, so nothing goes stale).
pub fn build(services: Services) -> UsersSchema {
    let users = UserLoader {
        db: services.db.clone(),
        metrics: services.metrics.clone(),
    };
    let addresses = AddressesLoader {
        db: services.db.clone(),
        metrics: services.metrics.clone(),
    };
    let users = DataLoader::new(users, tokio::spawn);
    let addresses = DataLoader::new(addresses, tokio::spawn);
    builder()
        .data(services)
        .data(users)
        .data(addresses)
        .finish()
}

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation::default(), EmptySubscription)
        .enable_federation()
        .extension(FederationImports)
        // The depth bounds the router enforces too (`platform::limits`).
        .limit_depth(limits::MAX_QUERY_DEPTH)
        .limit_recursive_depth(limits::SUBGRAPH_SELECTION_NESTING)
}

/// The federation SDL, as `_service { sdl }` serves it.
pub fn sdl() -> String {
    let sdl = builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive());
    import_authenticated(&sdl)
}
