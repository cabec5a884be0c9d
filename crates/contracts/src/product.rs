//! `GET /internal/products?after=<id>&limit=<n>` on the catalog → 200
//! [`ProductDocumentPage`], ordered by id; `limit` defaults to
//! [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`]: the product documents the
//! search index is built from. The same [`ProductDocument`] is the payload
//! of `product.changed` ([`crate::events::product_changed`]).
//!
//! `GET /internal/products?ids=<id>,<id>` ([`IDS_PARAM`], at most
//! [`MAX_LIMIT`] ids) → 200 [`ProductDocumentPage`] of those of the products
//! that exist (any status), by id, `nextAfter` null: the current documents
//! of products a `stock.changed` names ([`crate::events::stock_changed`]).

use serde::{Deserialize, Serialize};

pub const PATH: &str = "/internal/products";
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 500;
/// The query parameter of a lookup by id: comma-separated product ids.
pub const IDS_PARAM: &str = "ids";

/// A product as the search index needs it.
///
/// The catalog writes every field. A reader takes an absent field marked
/// `default` as empty (zero, false), as the search index always has, so a
/// document without, say, `brand` is still indexed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDocument {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub hot: bool,
    /// `ACTIVE` or `ARCHIVED`.
    pub status: String,
    #[serde(default)]
    pub category_id: String,
    /// The category's ancestors, root first (the category itself excluded).
    #[serde(default)]
    pub ancestor_category_ids: Vec<String>,
    /// Lowest and highest active SKU price, in fen (0 without SKUs).
    #[serde(default)]
    pub min_price: i64,
    #[serde(default)]
    pub max_price: i64,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub in_stock: bool,
    #[serde(default)]
    pub sales_count: i64,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

/// One page of documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDocumentPage {
    pub products: Vec<ProductDocument>,
    /// Pass as `after` for the next page; `null` (or absent) on the last
    /// page.
    #[serde(default)]
    pub next_after: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::golden::assert_wire;

    /// A document as the catalog fills it.
    pub fn shoe() -> ProductDocument {
        ProductDocument {
            id: "p-1".into(),
            name: "Running shoes".into(),
            description: "Light".into(),
            brand: "Nike".into(),
            tags: vec!["run".into()],
            hot: true,
            status: "ACTIVE".into(),
            category_id: "c-3".into(),
            ancestor_category_ids: vec!["c-1".into(), "c-2".into()],
            min_price: 69_900,
            max_price: 79_900,
            currency: "CNY".into(),
            in_stock: true,
            sales_count: 12,
            created_at: 1,
            updated_at: 2,
        }
    }

    pub const SHOE: &str = r#"{"id":"p-1","name":"Running shoes","description":"Light",
        "brand":"Nike","tags":["run"],"hot":true,"status":"ACTIVE","categoryId":"c-3",
        "ancestorCategoryIds":["c-1","c-2"],"minPrice":69900,"maxPrice":79900,
        "currency":"CNY","inStock":true,"salesCount":12,"createdAt":1,"updatedAt":2}"#;

    #[test]
    fn a_product_document_pins_its_wire_form() {
        assert_wire(&shoe(), SHOE);
    }

    #[test]
    fn a_page_says_null_after_its_last_product() {
        let page = ProductDocumentPage {
            products: vec![shoe()],
            next_after: None,
        };
        assert_wire(
            &page,
            &format!(r#"{{"products":[{SHOE}],"nextAfter":null}}"#),
        );
        let read: ProductDocumentPage =
            serde_json::from_str(&format!(r#"{{"products":[{SHOE}]}}"#)).expect("reads");
        assert_eq!(read, page);
        assert_wire(
            &ProductDocumentPage {
                products: vec![],
                next_after: Some("p-1".into()),
            },
            r#"{"products":[],"nextAfter":"p-1"}"#,
        );
    }

    #[test]
    fn a_reader_takes_absent_optional_fields_as_empty() {
        let read: ProductDocument = serde_json::from_str(
            r#"{"id":"p-1","name":"Pen","status":"ACTIVE","createdAt":1,"updatedAt":2}"#,
        )
        .expect("a minimal document reads");
        assert_eq!(
            read,
            ProductDocument {
                id: "p-1".into(),
                name: "Pen".into(),
                status: "ACTIVE".into(),
                created_at: 1,
                updated_at: 2,
                ..ProductDocument::default()
            }
        );
        // The id, name, status and timestamps are not optional.
        assert!(
            serde_json::from_str::<ProductDocument>(
                r#"{"id":"p-1","name":"Pen","createdAt":1,"updatedAt":2}"#
            )
            .is_err()
        );
    }
}
