use serde::{Deserialize, Serialize};

/// A product as the index sees it, in the wire shape of catalog's
/// `catalog::internal_api::ProductDocument` (`GET /internal/products`, and
/// the payload of `product.changed` events). Fields the index does not use
/// (`currency`) are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductDocument {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub hot: bool,
    pub status: String,
    #[serde(default)]
    pub category_id: Option<String>,
    /// The category's ancestors (the category itself may be included), so
    /// that filtering by a top-level category finds its descendants' products.
    #[serde(default, alias = "ancestorCategoryIds")]
    pub category_ids: Vec<String>,
    /// The cheapest and dearest SKU, in minor units.
    #[serde(default)]
    pub min_price: i64,
    #[serde(default)]
    pub max_price: i64,
    #[serde(default)]
    pub in_stock: bool,
    #[serde(default)]
    pub sales_count: i64,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

impl ProductDocument {
    /// Whether storefront searches may find this product: only active
    /// ones; archived products (and drafts) stay out of the index.
    pub fn is_searchable(&self) -> bool {
        self.status.eq_ignore_ascii_case("ACTIVE")
    }

    /// The product's category and its ancestors, without duplicates.
    pub fn all_category_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.category_ids.clone();
        if let Some(id) = &self.category_id {
            ids.push(id.clone());
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// Two numbers that order products as their ids order, used to break
    /// ties in every sort so that pages are stable and both backends agree.
    /// For the usual lowercase hex UUID they are its two 64-bit halves, which
    /// sort like the id string; other ids fall back to a hash.
    pub fn id_key(id: &str) -> (u64, u64) {
        let hex: String = id.chars().filter(|c| *c != '-').collect();
        if hex.len() == 32
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && let (Ok(hi), Ok(lo)) = (
                u64::from_str_radix(&hex[..16], 16),
                u64::from_str_radix(&hex[16..], 16),
            )
        {
            return (hi, lo);
        }
        // FNV-1a: stable across processes, unlike the std hasher.
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        (hash, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::ProductDocument;

    #[test]
    fn id_key_orders_uuids_like_their_strings() {
        let ids = [
            "0190a1b2-0000-7000-8000-000000000001",
            "0190a1b2-0000-7000-8000-000000000002",
            "0190a1b3-0000-7000-8000-000000000000",
        ];
        for pair in ids.windows(2) {
            assert!(ProductDocument::id_key(pair[0]) < ProductDocument::id_key(pair[1]));
        }
    }

    #[test]
    fn id_key_hashes_ids_that_are_not_uuids() {
        let multibyte = "产品产品0123456789abcdef0123";
        assert_eq!(multibyte.len(), 32);
        assert_ne!(ProductDocument::id_key(multibyte).1, 1);
        assert_ne!(
            ProductDocument::id_key("p-1"),
            ProductDocument::id_key("p-2")
        );
    }
}
