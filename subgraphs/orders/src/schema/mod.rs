//! The orders subgraph's entry points: the GraphQL schema (Federation v2),
//! and beside it [`internal`], the HTTP ones (the internal API and the
//! payment provider's callback). The GraphQL resolvers know nothing of
//! HTTP: they read the `OrdersContext` and `Loaders` from the schema data
//! and the `Viewer` from the request data.

mod cart;
mod connection;
mod entities;
pub mod internal;
mod mutation;
mod order;
mod payloads;
mod placement;
mod query;
mod subscription;

use std::sync::Arc;

use async_graphql::{Context, MergedObject, SDLExportOptions, Schema};
use platform::{
    auth::Viewer,
    federation::{FederationImports, import_authenticated},
    gql::{ErrorCode, internal},
    limits,
};

use crate::{service::context::OrdersContext, store::loaders::Loaders};

pub use subscription::Subscription;

#[derive(MergedObject, Default)]
pub struct Query(
    query::OrderQuery,
    placement::PlacementQuery,
    cart::CartQuery,
    entities::EntityQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(mutation::OrderMutation, cart::CartMutation);

pub type OrdersSchema = Schema<Query, Mutation, Subscription>;

/// Bounds on what one operation may ask for, against abusive queries; the
/// depth bounds are the ones the router enforces too (`platform::limits`).
const MAX_COMPLEXITY: usize = 2_000;

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .enable_federation()
        .enable_subscription_in_federation()
        .extension(FederationImports)
        .limit_depth(limits::MAX_QUERY_DEPTH)
        .limit_recursive_depth(limits::SUBGRAPH_SELECTION_NESTING)
        .limit_complexity(MAX_COMPLEXITY)
}

pub fn build(ctx: OrdersContext) -> OrdersSchema {
    builder()
        .data(Loaders::new(&ctx.db, &ctx.metrics))
        .data(ctx)
        .finish()
}

/// The federation SDL, as checked in at `schema/orders.graphql`.
pub fn sdl() -> String {
    import_authenticated(
        &builder()
            .finish()
            .sdl_with_options(SDLExportOptions::new().federation().compose_directive()),
    )
}

fn orders_ctx<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a OrdersContext> {
    ctx.data::<OrdersContext>()
}

fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}

fn load_error(error: Arc<sqlx::Error>) -> async_graphql::Error {
    internal(anyhow::anyhow!("loading: {error}"))
}

/// The signed-in caller, or UNAUTHENTICATED.
fn signed_in<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Viewer> {
    platform::gql::viewer(ctx)
}

/// The caller if it is an administrator.
fn admin<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Viewer> {
    platform::gql::require_scope(ctx, platform::auth::ADMIN_SCOPE)
}

fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    ErrorCode::BadUserInput.error(message)
}
