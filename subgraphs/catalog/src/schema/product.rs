//! `Product`, the catalog's main entity (`@key(fields: "id")`).

use async_graphql::{Context, ID, Object, Result};
use platform::gql::{ErrorCode, Money, Timestamp, int};

use super::{
    category::CategoryNode,
    load_error, loaders,
    review::ReviewNode,
    sku::{self, ProductStatus, SkuNode},
};
use crate::store::{Product, ProductDetail, Sku, Status, loaders::TopReviewsKey};

/// The most reviews one product field returns.
const MAX_REVIEWS: i32 = 100;

pub struct ProductNode {
    product: Product,
    /// The SKUs when already at hand (the cached detail), else loaded.
    skus: Option<Vec<Sku>>,
}

impl ProductNode {
    pub fn new(product: Product) -> Self {
        Self {
            product,
            skus: None,
        }
    }

    pub fn from_detail(detail: ProductDetail) -> Self {
        Self {
            product: detail.product,
            skus: Some(detail.skus),
        }
    }

    /// Product `product_id`, which a SKU or review (`what`) belongs to: it
    /// exists while they do, so a missing one is an internal error.
    pub async fn owner_of(ctx: &Context<'_>, product_id: &str, what: &str) -> Result<Self> {
        let product = loaders(ctx)?
            .products
            .load_one(product_id.to_owned())
            .await
            .map_err(load_error)?
            .ok_or_else(|| ErrorCode::Internal.error(format!("{what} without its product")))?;
        Ok(Self::new(product))
    }

    async fn all_skus(&self, ctx: &Context<'_>) -> Result<Vec<Sku>> {
        if let Some(skus) = &self.skus {
            return Ok(skus.clone());
        }
        Ok(loaders(ctx)?
            .skus_by_product
            .load_one(self.product.product_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default())
    }

    async fn active_skus(&self, ctx: &Context<'_>) -> Result<Vec<Sku>> {
        let mut skus = self.all_skus(ctx).await?;
        skus.retain(|s| s.status == Status::Active);
        Ok(skus)
    }
}

#[Object(name = "Product")]
impl ProductNode {
    async fn id(&self) -> ID {
        ID(self.product.product_id.clone())
    }

    async fn name(&self) -> &str {
        &self.product.name
    }

    async fn description(&self) -> &str {
        &self.product.description
    }

    /// Image URLs, the first one the main image.
    async fn images(&self) -> &[String] {
        &self.product.images
    }

    async fn brand(&self) -> &str {
        &self.product.brand
    }

    async fn tags(&self) -> &[String] {
        &self.product.tags
    }

    /// Promoted on the storefront.
    async fn hot(&self) -> bool {
        self.product.hot
    }

    async fn status(&self) -> ProductStatus {
        self.product.status.into()
    }

    async fn category(&self, ctx: &Context<'_>) -> Result<Option<CategoryNode>> {
        CategoryNode::load(ctx, self.product.category_id.clone()).await
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.product.created_at)
    }

    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.product.updated_at)
    }

    /// The SKUs in display order; archived ones only when asked for.
    async fn skus(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_archived: bool,
    ) -> Result<Vec<SkuNode>> {
        let skus = if include_archived {
            self.all_skus(ctx).await?
        } else {
            self.active_skus(ctx).await?
        };
        Ok(skus.into_iter().map(SkuNode).collect())
    }

    /// The lowest active SKU price (the "from" price).
    async fn min_price(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let skus = self.active_skus(ctx).await?;
        Ok(skus.iter().min_by_key(|s| s.price).map(sku::price))
    }

    async fn max_price(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let skus = self.active_skus(ctx).await?;
        Ok(skus.iter().max_by_key(|s| s.price).map(sku::price))
    }

    /// Whether any active SKU has stock.
    async fn in_stock(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.active_skus(ctx).await?.iter().any(|s| s.stock > 0))
    }

    /// The mean rating of the top-level reviews; null without reviews.
    async fn average_rating(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        let stats = loaders(ctx)?
            .review_stats
            .load_one(self.product.product_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok((stats.count > 0).then(|| stats.rating_sum as f64 / stats.count as f64))
    }

    /// The number of top-level reviews (replies not counted).
    async fn review_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let stats = loaders(ctx)?
            .review_stats
            .load_one(self.product.product_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(int(stats.count))
    }

    /// The newest top-level reviews (at most 100), each with its replies.
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
    ) -> Result<Vec<ReviewNode>> {
        if !(0..=MAX_REVIEWS).contains(&first) {
            return Err(platform::gql::ErrorCode::BadUserInput.error("first must be 0 to 100"));
        }
        let key = TopReviewsKey {
            product_id: self.product.product_id.clone(),
            limit: i64::from(first),
        };
        let reviews = loaders(ctx)?
            .top_reviews
            .load_one(key)
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(reviews.into_iter().map(ReviewNode).collect())
    }
}
