//! The catalog's `product.changed` events: what one asks of the index. `service::indexing` applies them, once each.

use contracts::events::product_changed;
use serde::Deserialize;
use serde_json::Value;

use crate::domain::ProductDocument;

/// This consumer's name in `processed_message`.
pub const CONSUMER: &str = "search.product-index";

/// What one `product.changed` event asks of the index.
#[derive(Clone, Debug, PartialEq)]
pub enum ProductChange {
    /// The product as it now is; archived ones leave the index.
    Upsert(Box<ProductDocument>),
    Delete(String),
}

impl ProductChange {
    /// Reads a payload: the catalog's product document
    /// (`contracts::events::product_changed`), or that wrapped as
    /// `{"product": {...}}`; or `{"productId"|"id": .., "deleted": true}`.
    pub fn parse(payload: &Value) -> anyhow::Result<Self> {
        let body = payload.get("product").unwrap_or(payload);
        if let Ok(product) = product_changed::ProductDocument::deserialize(body) {
            return Ok(Self::Upsert(Box::new(product.into())));
        }
        let deleted = payload.get("deleted").and_then(Value::as_bool) == Some(true);
        let id = payload
            .get("productId")
            .or_else(|| payload.get("id"))
            .and_then(Value::as_str);
        match id {
            Some(id) if deleted => Ok(Self::Delete(id.to_owned())),
            _ => anyhow::bail!("not a product.changed payload"),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::ProductChange;

    fn document() -> serde_json::Value {
        json!({
            "id": "p1", "name": "Shoe", "description": "", "brand": "Nike", "tags": [],
            "hot": false, "status": "ACTIVE", "categoryId": "c3",
            "ancestorCategoryIds": ["c1", "c2"], "minPrice": 100, "maxPrice": 200,
            "currency": "CNY", "inStock": true, "salesCount": 3,
            "createdAt": 1, "updatedAt": 2
        })
    }

    #[test]
    fn a_catalog_document_is_an_upsert_with_its_category_path() {
        for payload in [document(), json!({ "product": document() })] {
            let Ok(ProductChange::Upsert(product)) = ProductChange::parse(&payload) else {
                panic!("not an upsert: {payload}");
            };
            assert_eq!(product.all_category_ids(), ["c1", "c2", "c3"]);
            assert_eq!(product.brand.as_deref(), Some("Nike"));
        }
    }

    /// What the catalog writes (`contracts::events::product_changed`) is
    /// what the index takes in.
    #[test]
    fn the_catalogs_payload_becomes_the_index_document() {
        let written = contracts::product::ProductDocument {
            id: "p1".into(),
            name: "Shoe".into(),
            description: "Light".into(),
            brand: String::new(),
            tags: vec!["run".into()],
            hot: true,
            status: "ACTIVE".into(),
            category_id: "c3".into(),
            ancestor_category_ids: vec!["c1".into(), "c2".into()],
            min_price: 100,
            max_price: 200,
            currency: "CNY".into(),
            in_stock: true,
            sales_count: 3,
            created_at: 1,
            updated_at: 2,
        };
        let payload = serde_json::to_value(&written).unwrap();
        let Ok(ProductChange::Upsert(product)) = ProductChange::parse(&payload) else {
            panic!("not an upsert: {payload}");
        };
        assert_eq!(
            *product,
            crate::domain::ProductDocument {
                id: "p1".into(),
                name: "Shoe".into(),
                description: "Light".into(),
                brand: None,
                tags: vec!["run".into()],
                hot: true,
                status: "ACTIVE".into(),
                category_id: Some("c3".into()),
                category_ids: vec!["c1".into(), "c2".into()],
                min_price: 100,
                max_price: 200,
                in_stock: true,
                sales_count: 3,
                created_at: 1,
                updated_at: 2,
            }
        );
    }

    #[test]
    fn a_deletion_names_the_product() {
        let payload = json!({ "productId": "p1", "deleted": true });
        assert_eq!(
            ProductChange::parse(&payload).ok(),
            Some(ProductChange::Delete("p1".into()))
        );
        assert!(ProductChange::parse(&json!({ "productId": "p1" })).is_err());
        assert!(ProductChange::parse(&json!("garbage")).is_err());
    }
}
