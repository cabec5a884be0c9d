//! `GET /internal/skus/{id}` on the catalog → 200 [`SkuOwner`]; 404
//! [`ApiError`](crate::error::ApiError) `UNKNOWN_SKU` (also for an archived
//! SKU): which product a SKU on sale belongs to, so the orders service can
//! take a bare SKU id into a cart.

use serde::{Deserialize, Serialize};

/// The route, as the catalog's router declares it.
pub const ROUTE: &str = "/internal/skus/{id}";

/// The path of SKU `id`.
pub fn path(id: &str) -> String {
    format!("/internal/skus/{id}")
}

/// The product a SKU on sale belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuOwner {
    pub id: String,
    pub product_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_sku_owner_names_the_sku_and_its_product() {
        assert_wire(
            &SkuOwner {
                id: "s-1".into(),
                product_id: "p-1".into(),
            },
            r#"{"id":"s-1","productId":"p-1"}"#,
        );
    }

    #[test]
    fn the_path_fills_the_route() {
        assert_eq!(path("s-1"), ROUTE.replace("{id}", "s-1"));
    }
}
