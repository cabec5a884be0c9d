//! products: the catalogue by `upc`.

use async_graphql::{
    ComplexObject, EmptyMutation, EmptySubscription, Object, Schema, SimpleObject,
};

use super::SubgraphSchema;

#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Product {
    upc: String,
    sku: String,
    region: String,
    name: String,
    price: i32,
    weight: i32,
}

#[ComplexObject]
impl Product {
    /// Overridden by inventory: the router must never ask products.
    async fn warehouse(&self) -> String {
        "products' stale warehouse".into()
    }
}

fn products() -> Vec<Product> {
    [
        ("p1", "T-1", "EU", "Table", 899, 100),
        ("p2", "C-1", "US", "Couch", 1299, 1000),
        ("p3", "H-1", "EU", "Chair", 54, 50),
    ]
    .into_iter()
    .map(|(upc, sku, region, name, price, weight)| Product {
        upc: upc.into(),
        sku: sku.into(),
        region: region.into(),
        name: name.into(),
        price,
        weight,
    })
    .collect()
}

pub struct ProductsQuery;

#[Object(name = "Query")]
impl ProductsQuery {
    async fn top_products(&self, #[graphql(default = 5)] first: i32) -> Vec<Product> {
        products()
            .into_iter()
            .take(usize::try_from(first).unwrap_or(0))
            .collect()
    }

    async fn product(&self, upc: String) -> Option<Product> {
        products().into_iter().find(|p| p.upc == upc)
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> Option<Product> {
        products().into_iter().find(|p| p.upc == upc)
    }

    #[graphql(entity)]
    async fn find_product_by_sku_and_region(&self, sku: String, region: String) -> Option<Product> {
        products()
            .into_iter()
            .find(|p| p.sku == sku && p.region == region)
    }
}

pub fn products_schema() -> SubgraphSchema<ProductsQuery> {
    Schema::build(ProductsQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}
