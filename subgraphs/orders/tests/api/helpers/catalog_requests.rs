//! What the orders tests ask of the catalog beside the orders service:
//! products, prices, flash sales, stock and sales counts.

use std::time::Duration;

use platform::{db::now_millis, testing::poll_until};
use serde_json::{Value, json};

use super::TestApp;
use crate::catalog_admin::CatalogAdmin;

impl TestApp {
    /// `data` of a catalog response that must not carry errors.
    pub async fn catalog_data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self
            .post_graphql(&self.catalog.address, query, variables, token)
            .await;
        assert!(
            body.get("errors").is_none(),
            "unexpected catalog errors: {body}"
        );
        body["data"].clone()
    }

    /// The catalog spoken to as an administrator.
    fn catalog_admin(&self) -> CatalogAdmin<'_> {
        CatalogAdmin {
            client: &self.client,
            address: &self.catalog.address,
            token: self.tokens.admin(),
        }
    }

    /// A catalog product, in a category of its own, with one SKU per
    /// (name, price, stock); returns (product id, SKU ids).
    pub async fn product(&self, name: &str, skus: &[(&str, i64, i64)]) -> (String, Vec<String>) {
        let catalog = self.catalog_admin();
        let category = catalog.create_category(&format!("cat {name}"), None).await;
        catalog.create_product(&category, name, skus).await
    }

    /// Changes a SKU's price in the catalog.
    pub async fn set_price(&self, sku_id: &str, price: i64) {
        let data = self
            .catalog_data(
                "mutation($input: UpdateSkuInput!) { updateSku(input: $input) { errors { code message } } }",
                json!({ "input": { "id": sku_id, "price": price } }),
                Some(&self.tokens.admin()),
            )
            .await;
        assert_eq!(data["updateSku"]["errors"], json!([]), "{data}");
    }

    /// A flash sale of `sku_id`, on now; returns its id.
    pub async fn flash_sale(
        &self,
        sku_id: &str,
        price: i64,
        quantity: i64,
        per_user: i64,
    ) -> String {
        let now = now_millis();
        let data = self
            .catalog_data(
                "mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id } errors { code message } } }",
                json!({ "input": { "skuId": sku_id, "salePrice": price, "quantity": quantity,
                    "perUserLimit": per_user, "startsAt": now - 60_000, "endsAt": now + 3_600_000 } }),
                Some(&self.tokens.admin()),
            )
            .await;
        data["createFlashSale"]["flashSale"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned()
    }

    /// The catalog's sales count of a product (from its internal product
    /// documents, which the search service reads).
    pub async fn catalog_sales_count(&self, product_id: &str) -> i64 {
        let page: Value = self
            .client
            .get(format!(
                "{}/internal/products?limit=500",
                self.catalog.address
            ))
            .header(
                platform::internal::INTERNAL_TOKEN_HEADER,
                &self.catalog.internal_token,
            )
            .send()
            .await
            .expect("the request is sent")
            .json()
            .await
            .expect("JSON");
        page["products"]
            .as_array()
            .and_then(|docs| docs.iter().find(|d| d["id"] == product_id))
            .and_then(|d| d["salesCount"].as_i64())
            .unwrap_or_else(|| panic!("product {product_id} in {page}"))
    }

    /// Waits until the catalog's sales count of `product_id` is `expected`.
    pub async fn wait_for_sales_count(&self, product_id: &str, expected: i64) {
        let waited = poll_until(
            Duration::from_secs(20),
            Duration::from_millis(100),
            || self.catalog_sales_count(product_id),
            |count| *count == expected,
        )
        .await;
        if let Err(count) = waited {
            panic!("the catalog's sales count stayed {count}, expected {expected}");
        }
    }

    /// A SKU's stock as the catalog shows it.
    pub async fn stock_of(&self, product_id: &str, sku_id: &str) -> i64 {
        self.catalog_admin().stock_of(product_id, sku_id).await
    }
}
