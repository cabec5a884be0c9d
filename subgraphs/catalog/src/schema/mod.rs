//! The catalog's entry points: the GraphQL schema (Federation v2), and
//! beside it [`internal`], the internal HTTP API. The GraphQL resolvers know
//! nothing of HTTP: they call the `Catalog` service and the `Loaders` from
//! the schema data and the `Viewer` from the request data.

mod admin;
mod category;
mod cursor;
mod entities;
mod flash_sale;
mod inputs;
pub mod internal;
mod payloads;
mod product;
mod query;
mod review;
mod shopper;
mod sku;
mod user;

use std::sync::Arc;

use async_graphql::{Context, EmptySubscription, MergedObject, SDLExportOptions, Schema};
use platform::{
    federation::{FederationImports, import_authenticated},
    gql::internal,
    limits,
};

use crate::{service::Catalog, store::loaders::Loaders};

#[derive(MergedObject, Default)]
pub struct Query(query::CatalogQuery, entities::EntityQuery);

#[derive(MergedObject, Default)]
pub struct Mutation(admin::AdminMutation, shopper::ShopperMutation);

pub type CatalogSchema = Schema<Query, Mutation, EmptySubscription>;

/// Bounds on what one operation may ask for, against abusive queries; the
/// depth bounds are the ones the router enforces too (`platform::limits`).
const MAX_COMPLEXITY: usize = 5_000;

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .enable_federation()
        .extension(FederationImports)
        .limit_depth(limits::MAX_QUERY_DEPTH)
        .limit_recursive_depth(limits::SUBGRAPH_SELECTION_NESTING)
        .limit_complexity(MAX_COMPLEXITY)
}

/// The schema over `catalog`.
pub fn build(catalog: Catalog) -> CatalogSchema {
    builder().data(catalog.loaders()).data(catalog).finish()
}

/// The federation SDL this subgraph serves (`_service { sdl }`), as checked
/// in at `schema/catalog.graphql`.
pub fn sdl() -> String {
    let sdl = builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().federation().compose_directive());
    import_authenticated(&sdl)
}

fn catalog<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Catalog> {
    ctx.data::<Catalog>()
}

fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}

/// A DataLoader failure as an opaque INTERNAL error.
fn load_error(error: Arc<anyhow::Error>) -> async_graphql::Error {
    internal(anyhow::anyhow!("{error:#}"))
}
