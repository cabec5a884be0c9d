//! Input objects and enums of the catalog's queries and mutations.

use async_graphql::{Enum, ID, InputObject};
use platform::gql::{MinorUnits, Timestamp};

use crate::store::ProductSort as StoreSort;

#[derive(InputObject, Default)]
pub struct ProductFilter {
    /// The category and every category below it.
    pub category_id: Option<ID>,
    pub brand: Option<String>,
    /// Bounds (in fen, inclusive) on the product's lowest SKU price.
    pub min_price: Option<MinorUnits>,
    pub max_price: Option<MinorUnits>,
    pub hot: Option<bool>,
    pub in_stock: Option<bool>,
}

// `remote` derives the conversions to and from the store's sort.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "StoreSort")]
pub enum ProductSort {
    /// Newest first.
    #[default]
    Newest,
    /// Cheapest "from" price first.
    PriceAsc,
    PriceDesc,
    /// Best-selling first.
    Sales,
}

#[derive(InputObject)]
pub struct SkuInput {
    pub name: String,
    /// In fen (minor units); CNY is the only currency.
    pub price: MinorUnits,
    pub currency: Option<String>,
    #[graphql(default)]
    pub stock: i64,
}

#[derive(InputObject)]
pub struct CreateProductInput {
    pub category_id: ID,
    pub name: String,
    #[graphql(default)]
    pub description: String,
    pub brand: String,
    #[graphql(default)]
    pub tags: Vec<String>,
    #[graphql(default)]
    pub images: Vec<String>,
    #[graphql(default)]
    pub hot: bool,
    #[graphql(default)]
    pub skus: Vec<SkuInput>,
}

/// Only the fields given change.
#[derive(InputObject)]
pub struct UpdateProductInput {
    pub id: ID,
    pub category_id: Option<ID>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub brand: Option<String>,
    pub tags: Option<Vec<String>>,
    pub images: Option<Vec<String>>,
    pub hot: Option<bool>,
}

#[derive(InputObject)]
pub struct CreateSkuInput {
    pub product_id: ID,
    pub name: String,
    pub price: MinorUnits,
    pub currency: Option<String>,
    #[graphql(default)]
    pub stock: i64,
}

#[derive(InputObject)]
pub struct UpdateSkuInput {
    pub id: ID,
    pub name: Option<String>,
    pub price: Option<MinorUnits>,
}

#[derive(InputObject)]
pub struct CreateCategoryInput {
    pub name: String,
    /// The parent; absent for a top-level category.
    pub parent_id: Option<ID>,
    /// The order among siblings; absent puts it last.
    pub position: Option<i64>,
}

#[derive(InputObject)]
pub struct MoveCategoryInput {
    pub id: ID,
    /// The new parent; absent moves it to the top level.
    pub parent_id: Option<ID>,
    pub position: Option<i64>,
}

#[derive(InputObject)]
pub struct AddReviewInput {
    pub product_id: ID,
    /// 1 to 5.
    pub rating: i64,
    pub body: String,
}

#[derive(InputObject)]
pub struct ReplyToReviewInput {
    /// The review (or reply) answered.
    pub review_id: ID,
    pub body: String,
}

#[derive(InputObject)]
pub struct CreateFlashSaleInput {
    pub sku_id: ID,
    /// In fen.
    pub sale_price: MinorUnits,
    pub quantity: i64,
    pub per_user_limit: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}
