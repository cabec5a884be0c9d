//! `Sku`: a purchasable variant of a product, with its price and stock.

use async_graphql::{Context, Enum, ID, Object, Result};
use platform::gql::{Money, int};

use super::product::ProductNode;
use crate::store::{Sku, Status};

/// Whether a product or SKU is on sale; archived ones stay readable.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "Status")]
pub enum ProductStatus {
    Active,
    Archived,
}

/// A SKU's price as the graph shows it.
pub fn price(sku: &Sku) -> Money {
    Money::new(sku.price, &sku.currency)
}

pub struct SkuNode(pub Sku);

#[Object(name = "Sku")]
impl SkuNode {
    async fn id(&self) -> ID {
        ID(self.0.sku_id.clone())
    }

    /// The option this SKU stands for ("黑色 128GB", "Size 42").
    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn price(&self) -> Money {
        price(&self.0)
    }

    async fn stock(&self) -> i32 {
        int(self.0.stock)
    }

    async fn in_stock(&self) -> bool {
        self.0.stock > 0
    }

    async fn status(&self) -> ProductStatus {
        self.0.status.into()
    }

    async fn product(&self, ctx: &Context<'_>) -> Result<ProductNode> {
        ProductNode::owner_of(ctx, &self.0.product_id, "a SKU").await
    }
}
