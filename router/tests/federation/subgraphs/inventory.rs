//! inventory: `Product` keyed by the composite `sku region`, with fields
//! that require others from products.

use async_graphql::{
    ComplexObject, EmptyMutation, EmptySubscription, Error, Object, Schema, SimpleObject,
};

use super::SubgraphSchema;

/// `Product` as inventory sees it: keyed by the composite `sku region`,
/// with `price` and `weight` required from products.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Product", complex)]
pub struct InventoryProduct {
    sku: String,
    region: String,
    /// From the representation, when the router sent it (`@requires`).
    #[graphql(skip)]
    price: Option<i32>,
    #[graphql(skip)]
    weight: Option<i32>,
}

#[ComplexObject]
impl InventoryProduct {
    /// Declared with the owner's type (`Int!`), as composition demands;
    /// never resolved here, since the router asks products for it.
    #[graphql(external)]
    async fn price(&self) -> i32 {
        self.price.unwrap_or_default()
    }

    #[graphql(external)]
    async fn weight(&self) -> i32 {
        self.weight.unwrap_or_default()
    }

    async fn in_stock(&self) -> bool {
        self.sku != "C-1"
    }

    #[graphql(requires = "price weight")]
    async fn shipping_estimate(&self) -> Result<i32, Error> {
        let (Some(price), Some(weight)) = (self.price, self.weight) else {
            return Err(Error::new("price and weight were not provided"));
        };
        Ok(if price > 1000 { 0 } else { weight / 2 })
    }

    /// Taken over from products with `@override`.
    #[graphql(override_from = "products")]
    async fn warehouse(&self) -> String {
        format!("{}-central", self.region.to_lowercase())
    }

    /// A field with arguments that needs a field of another subgraph.
    #[graphql(requires = "weight")]
    async fn shipping_to(&self, zone: String) -> Result<i32, Error> {
        let weight = self
            .weight
            .ok_or_else(|| Error::new("weight was not provided"))?;
        Ok(if zone == self.region {
            weight
        } else {
            weight * 2
        })
    }
}

pub struct InventoryQuery;

#[Object(name = "Query")]
impl InventoryQuery {
    #[graphql(entity)]
    async fn find_product_by_sku_and_region(
        &self,
        #[graphql(key)] sku: String,
        #[graphql(key)] region: String,
        price: Option<i32>,
        weight: Option<i32>,
    ) -> InventoryProduct {
        InventoryProduct {
            sku,
            region,
            price,
            weight,
        }
    }
}

pub fn inventory_schema() -> SubgraphSchema<InventoryQuery> {
    Schema::build(InventoryQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}
