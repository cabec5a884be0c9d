//! A one-subgraph graph whose inputs use what the September 2025
//! specification added to them: a `@oneOf` input object, deprecated
//! arguments and input fields, and a scalar with `@specifiedBy`. The
//! validation, coercion and introspection tests run against it.

use async_graphql::{
    EmptyMutation, EmptySubscription, ID, InputObject, InputValueError, InputValueResult, Object,
    OneofObject, SDLExportOptions, Scalar, ScalarType, Schema, SimpleObject, Value,
};
use router::{
    RouterConfig,
    compose::{SubgraphDefinition, compose},
};

use crate::helpers::{TestRouter, TestSubgraph, spawn_subgraph};

/// How a product is looked up: by exactly one of its identifiers.
#[derive(OneofObject)]
enum ProductBy {
    Id(ID),
    Upc(String),
}

#[derive(InputObject)]
struct ProductFilter {
    name: Option<String>,
    #[graphql(deprecation = "Use `name`.")]
    title: Option<String>,
}

#[derive(InputObject)]
struct LoginInput {
    email: String,
    password: String,
}

/// An RFC 4122 identifier, passed through as a string.
struct Uuid(String);

#[Scalar(specified_by_url = "https://tools.ietf.org/html/rfc4122")]
impl ScalarType for Uuid {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) => Ok(Uuid(s)),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

#[derive(SimpleObject, Clone)]
struct Product {
    id: ID,
    upc: String,
    name: String,
}

fn catalog() -> Vec<Product> {
    [
        ("1", "p1", "Table"),
        ("2", "p2", "Couch"),
        ("3", "p3", "Chair"),
    ]
    .into_iter()
    .map(|(id, upc, name)| Product {
        id: ID(id.into()),
        upc: upc.into(),
        name: name.into(),
    })
    .collect()
}

pub struct InputsQuery;

#[Object(name = "Query")]
impl InputsQuery {
    async fn product(&self, by: ProductBy) -> Option<Product> {
        catalog().into_iter().find(|p| match &by {
            ProductBy::Id(id) => &p.id == id,
            ProductBy::Upc(upc) => &p.upc == upc,
        })
    }

    async fn products(
        &self,
        first: i32,
        #[graphql(deprecation = "Use `first`.")] limit: Option<i32>,
        filter: Option<ProductFilter>,
    ) -> Vec<Product> {
        let wanted = filter.and_then(|f| f.name.or(f.title));
        catalog()
            .into_iter()
            .filter(|p| wanted.as_ref().is_none_or(|name| &p.name == name))
            .take(limit.unwrap_or(first).max(0) as usize)
            .collect()
    }

    async fn login(&self, input: LoginInput) -> String {
        format!("token for {}", input.email)
    }

    async fn trace(&self, id: Uuid) -> String {
        id.0
    }
}

pub fn inputs_schema() -> Schema<InputsQuery, EmptyMutation, EmptySubscription> {
    Schema::build(InputsQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

/// The subgraph and the router serving the supergraph our composition
/// builds from its SDL.
pub async fn setup() -> (TestSubgraph, TestRouter) {
    let subgraph = spawn_subgraph(inputs_schema()).await;
    let sdl = inputs_schema()
        .sdl_with_options(SDLExportOptions::new().federation().include_specified_by());
    let supergraph = compose(&[SubgraphDefinition::new("inputs", subgraph.url.clone(), sdl)])
        .unwrap_or_else(|errors| panic!("the inputs subgraph composes: {errors:?}"))
        .into_sdl();
    let urls = [("inputs".to_owned(), subgraph.url.clone())].into();
    let router = TestRouter::spawn_with_sdl(&supergraph, urls, RouterConfig::default()).await;
    (subgraph, router)
}
