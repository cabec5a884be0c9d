//! The wire types of the catalog's internal HTTP API, which the orders and
//! search services call (it is not part of the public graph). Every request
//! carries the header `x-internal-token` ([`crate::INTERNAL_TOKEN_HEADER`])
//! with the shared `INTERNAL_TOKEN`.
//!
//! - `POST /internal/stock/reserve` [`ReserveRequest`] → 200 [`ReserveResponse`];
//!   409 [`ApiError`] `OUT_OF_STOCK`, 404 `UNKNOWN_SKU`, 400 `BAD_REQUEST`.
//!   Atomic over all lines and idempotent by `order_id`.
//! - `POST /internal/stock/release` [`ReleaseRequest`] → 200 [`ReleaseResponse`];
//!   `released` is true exactly once per reserved order.
//! - `GET /internal/flash-sales/{id}` → 200 [`FlashSaleInfo`]; 404 `NOT_FOUND`.
//! - `GET /internal/skus/{id}` → 200 [`SkuOwner`]; 404 `UNKNOWN_SKU` (also for
//!   an archived SKU).
//! - `GET /internal/products?after=<id>&limit=<n>` → 200 [`ProductDocumentPage`],
//!   ordered by id; `limit` defaults to 100, at most 500.

use serde::{Deserialize, Serialize};

/// Money in minor units (fen) of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub amount: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveLine {
    pub sku_id: String,
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveRequest {
    pub order_id: String,
    pub lines: Vec<ReserveLine>,
}

/// A reserved line with the price and names at reservation time: the
/// snapshot an order keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservedLine {
    pub sku_id: String,
    pub product_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub unit_price: Amount,
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveResponse {
    pub lines: Vec<ReservedLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequest {
    pub order_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseResponse {
    /// True when this call gave the stock back; false when the order had no
    /// reservation or it was released before.
    pub released: bool,
}

/// An error body: a stable code, the SKU at fault when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlashSaleInfo {
    pub id: String,
    pub sku_id: String,
    pub product_id: String,
    pub sale_price: Amount,
    pub quantity: i64,
    pub per_user_limit: i64,
    /// Milliseconds since the Unix epoch.
    pub starts_at: i64,
    pub ends_at: i64,
}

/// The product a SKU on sale belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuOwner {
    pub id: String,
    pub product_id: String,
}

/// A product as the search index needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDocument {
    pub id: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub tags: Vec<String>,
    pub hot: bool,
    /// `ACTIVE` or `ARCHIVED`.
    pub status: String,
    pub category_id: String,
    /// The category's ancestors, root first (the category itself excluded).
    pub ancestor_category_ids: Vec<String>,
    /// Lowest and highest active SKU price, in fen (0 without SKUs).
    pub min_price: i64,
    pub max_price: i64,
    pub currency: String,
    pub in_stock: bool,
    pub sales_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDocumentPage {
    pub products: Vec<ProductDocument>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<String>,
}
