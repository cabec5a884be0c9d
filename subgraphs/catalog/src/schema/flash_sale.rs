//! `FlashSale`: a SKU at a sale price, limited in quantity, time and per buyer.

use async_graphql::{Context, ID, Object, Result};
use platform::{
    db::now_millis,
    gql::{ErrorCode, Money, Timestamp, int},
};

use super::{load_error, loaders, sku::SkuNode};
use crate::{domain::CURRENCY, store::FlashSale};

pub struct FlashSaleNode(pub FlashSale);

#[Object(name = "FlashSale")]
impl FlashSaleNode {
    async fn id(&self) -> ID {
        ID(self.0.flash_sale_id.clone())
    }

    async fn sku(&self, ctx: &Context<'_>) -> Result<SkuNode> {
        let sku = loaders(ctx)?
            .skus
            .load_one(self.0.sku_id.clone())
            .await
            .map_err(load_error)?
            .ok_or_else(|| ErrorCode::Internal.error("a flash sale without its SKU"))?;
        Ok(SkuNode(sku))
    }

    async fn sale_price(&self) -> Money {
        Money::new(self.0.sale_price, CURRENCY)
    }

    /// How many units the sale offers in total.
    async fn quantity(&self) -> i32 {
        int(self.0.quantity)
    }

    /// How many units one buyer may take.
    async fn per_user_limit(&self) -> i32 {
        int(self.0.per_user_limit)
    }

    async fn starts_at(&self) -> Timestamp {
        Timestamp(self.0.starts_at)
    }

    async fn ends_at(&self) -> Timestamp {
        Timestamp(self.0.ends_at)
    }

    /// Whether the sale window contains the present moment.
    async fn active(&self) -> bool {
        let now = now_millis();
        self.0.starts_at <= now && now < self.0.ends_at
    }
}
