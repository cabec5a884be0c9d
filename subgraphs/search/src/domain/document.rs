/// A product as the index sees it, made from the catalog's
/// [`contracts::product::ProductDocument`] (the wire form of
/// `GET /internal/products` and of `product.changed` events) by [`From`].
/// Fields the index does not use (`currency`) are left out; an empty brand
/// or category (absent from the wire) is none.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductDocument {
    pub id: String,
    pub name: String,
    pub description: String,
    pub brand: Option<String>,
    pub tags: Vec<String>,
    pub hot: bool,
    pub status: String,
    pub category_id: Option<String>,
    /// The category's ancestors (the category itself may be included), so
    /// that filtering by a top-level category finds its descendants' products.
    pub category_ids: Vec<String>,
    /// The cheapest and dearest SKU, in minor units.
    pub min_price: i64,
    pub max_price: i64,
    pub in_stock: bool,
    pub sales_count: i64,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<contracts::product::ProductDocument> for ProductDocument {
    fn from(wire: contracts::product::ProductDocument) -> Self {
        Self {
            id: wire.id,
            name: wire.name,
            description: wire.description,
            brand: Some(wire.brand).filter(|b| !b.is_empty()),
            tags: wire.tags,
            hot: wire.hot,
            status: wire.status,
            category_id: Some(wire.category_id).filter(|c| !c.is_empty()),
            category_ids: wire.ancestor_category_ids,
            min_price: wire.min_price,
            max_price: wire.max_price,
            in_stock: wire.in_stock,
            sales_count: wire.sales_count,
            created_at: wire.created_at,
            updated_at: wire.updated_at,
        }
    }
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
