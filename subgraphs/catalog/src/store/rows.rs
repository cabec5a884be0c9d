//! The catalog's records as read from the database (and cached).

use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Row, any::AnyRow};

/// ACTIVE or ARCHIVED, for products and SKUs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Active,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Archived => "ARCHIVED",
        }
    }

    fn parse(raw: &str) -> sqlx::Result<Self> {
        match raw {
            "ACTIVE" => Ok(Self::Active),
            "ARCHIVED" => Ok(Self::Archived),
            other => Err(sqlx::Error::Decode(
                format!("unknown status {other:?}").into(),
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct Category {
    pub category_id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub position: i64,
    /// 1 for a top-level category, up to 3.
    pub depth: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub product_id: String,
    pub category_id: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub tags: Vec<String>,
    pub images: Vec<String>,
    pub hot: bool,
    pub status: Status,
    pub sales_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns `Product::from_row` reads.
pub const PRODUCT_COLUMNS: &str = "product_id, category_id, name, description, brand, tags, \
                                   images, hot, status, sales_count, created_at, updated_at";

impl<'r> FromRow<'r, AnyRow> for Product {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            product_id: row.try_get("product_id")?,
            category_id: row.try_get("category_id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            brand: row.try_get("brand")?,
            tags: json_list(row.try_get("tags")?)?,
            images: json_list(row.try_get("images")?)?,
            hot: row.try_get::<i64, _>("hot")? != 0,
            status: Status::parse(&row.try_get::<String, _>("status")?)?,
            sales_count: row.try_get("sales_count")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

fn json_list(raw: String) -> sqlx::Result<Vec<String>> {
    serde_json::from_str(&raw).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    pub sku_id: String,
    pub product_id: String,
    pub name: String,
    pub price: i64,
    pub currency: String,
    pub stock: i64,
    pub status: Status,
    pub position: i64,
}

pub const SKU_COLUMNS: &str = "sku_id, product_id, name, price, currency, stock, status, position";

impl<'r> FromRow<'r, AnyRow> for Sku {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            sku_id: row.try_get("sku_id")?,
            product_id: row.try_get("product_id")?,
            name: row.try_get("name")?,
            price: row.try_get("price")?,
            currency: row.try_get("currency")?,
            stock: row.try_get("stock")?,
            status: Status::parse(&row.try_get::<String, _>("status")?)?,
            position: row.try_get("position")?,
        })
    }
}

/// A product with its SKUs: the cached product detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub product: Product,
    pub skus: Vec<Sku>,
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct Review {
    pub review_id: String,
    pub product_id: String,
    pub user_id: String,
    pub parent_id: Option<String>,
    pub rating: Option<i64>,
    pub body: String,
    pub created_at: i64,
}

pub const REVIEW_COLUMNS: &str =
    "review_id, product_id, user_id, parent_id, rating, body, created_at";

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct FlashSale {
    pub flash_sale_id: String,
    pub sku_id: String,
    pub sale_price: i64,
    pub quantity: i64,
    pub per_user_limit: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

pub const FLASH_SALE_COLUMNS: &str =
    "flash_sale_id, sku_id, sale_price, quantity, per_user_limit, starts_at, ends_at";
