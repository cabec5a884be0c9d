//! A small shop subgraph: browsing, search and checkout root fields, plus
//! a field (`featured`) that only the second version of its schema shows,
//! and a subscription (`ticks`).

use async_graphql::{
    ID, MergedObject, Object, SDLExportOptions, Schema, SimpleObject, Subscription,
};
use futures::Stream;

#[derive(SimpleObject, Clone)]
pub struct Product {
    id: ID,
    name: String,
}

fn products() -> Vec<Product> {
    [("p1", "Teapot"), ("p2", "Kettle")]
        .into_iter()
        .map(|(id, name)| Product {
            id: ID(id.into()),
            name: name.into(),
        })
        .collect()
}

#[derive(Default)]
pub struct Browse;

#[Object]
impl Browse {
    async fn products(&self) -> Vec<Product> {
        products()
    }

    async fn search_products(&self, text: String) -> Vec<Product> {
        products()
            .into_iter()
            .filter(|p| p.name.to_lowercase().contains(&text.to_lowercase()))
            .collect()
    }
}

#[derive(Default)]
pub struct Featured;

#[Object]
impl Featured {
    /// Added in the second version of the schema.
    async fn featured(&self) -> Product {
        Product {
            id: ID("p2".into()),
            name: "Kettle".into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct Order {
    id: ID,
    sku: String,
}

#[derive(Default)]
pub struct Checkout;

#[Object(name = "Mutation")]
impl Checkout {
    async fn place_order(&self, sku: String) -> Order {
        Order {
            id: ID(format!("order-{sku}")),
            sku,
        }
    }

    async fn update_profile(&self, name: String) -> String {
        name
    }
}

#[derive(Default)]
pub struct Ticks;

#[Subscription(name = "Subscription")]
impl Ticks {
    /// Three events, then the stream completes.
    async fn ticks(&self) -> impl Stream<Item = i32> {
        futures::stream::iter(1..=3)
    }
}

/// The first version's root query type.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryV1(Browse);

/// The second version's: `featured` added.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryV2(Browse, Featured);

pub type ShopV1 = Schema<QueryV1, Checkout, Ticks>;
pub type ShopV2 = Schema<QueryV2, Checkout, Ticks>;

pub fn v1() -> ShopV1 {
    Schema::build(QueryV1::default(), Checkout, Ticks)
        .enable_subscription_in_federation()
        .enable_federation()
        .finish()
}

/// What the running subgraph serves: everything in both versions.
pub fn v2() -> ShopV2 {
    Schema::build(QueryV2::default(), Checkout, Ticks)
        .enable_subscription_in_federation()
        .enable_federation()
        .finish()
}

fn options() -> SDLExportOptions {
    SDLExportOptions::new().federation().compose_directive()
}

pub fn v1_sdl() -> String {
    v1().sdl_with_options(options())
}

pub fn v2_sdl() -> String {
    v2().sdl_with_options(options())
}
