//! `Sku`: a purchasable variant of a product, with its price and stock.

use async_graphql::{Context, Enum, ID, Object, Result};
use platform::gql::{ErrorCode, Money, int};

use super::{load_error, loaders, product::ProductNode};
use crate::store::{Sku, Status};

/// Whether a product or SKU is on sale; archived ones stay readable.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    Active,
    Archived,
}

impl From<Status> for ProductStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Active => Self::Active,
            Status::Archived => Self::Archived,
        }
    }
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
        Money::new(self.0.price, &self.0.currency)
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
        let product = loaders(ctx)?
            .products
            .load_one(self.0.product_id.clone())
            .await
            .map_err(load_error)?
            .ok_or_else(|| ErrorCode::Internal.error("a SKU without its product"))?;
        Ok(ProductNode::new(product))
    }
}
