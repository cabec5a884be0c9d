//! `GET /internal/flash-sales/{id}` on the catalog → 200 [`FlashSaleInfo`];
//! 404 [`ApiError`](crate::error::ApiError) `NOT_FOUND`: what the orders
//! service needs to sell from a flash sale.

use serde::{Deserialize, Serialize};

use crate::Amount;

/// The route, as the catalog's router declares it.
pub const ROUTE: &str = "/internal/flash-sales/{id}";

/// The path of flash sale `id`.
pub fn path(id: &str) -> String {
    format!("/internal/flash-sales/{id}")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn a_flash_sale_carries_its_price_window_and_limits() {
        assert_wire(
            &FlashSaleInfo {
                id: "f-1".into(),
                sku_id: "s-1".into(),
                product_id: "p-1".into(),
                sale_price: Amount {
                    amount: 9_900,
                    currency: "CNY".into(),
                },
                quantity: 100,
                per_user_limit: 2,
                starts_at: 1_700_000_000_000,
                ends_at: 1_700_000_600_000,
            },
            r#"{"id":"f-1","skuId":"s-1","productId":"p-1",
                "salePrice":{"amount":9900,"currency":"CNY"},"quantity":100,
                "perUserLimit":2,"startsAt":1700000000000,"endsAt":1700000600000}"#,
        );
    }

    #[test]
    fn the_path_fills_the_route() {
        assert_eq!(path("f-1"), ROUTE.replace("{id}", "f-1"));
    }
}
