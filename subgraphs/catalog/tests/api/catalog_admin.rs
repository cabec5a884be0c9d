//! Setting up catalog data as an administrator, over the catalog's GraphQL
//! API. The catalog's tests use it, and so do the orders tests, which run a
//! real catalog beside the orders service: they include this file with
//! `#[path]`, so both create products the same way.

use platform::testing::post_graphql;
use serde_json::{Value, json};

/// A running catalog, spoken to with an administrator's token.
pub struct CatalogAdmin<'a> {
    pub client: &'a reqwest::Client,
    /// The catalog's base URL (`http://host:port`).
    pub address: &'a str,
    pub token: String,
}

impl CatalogAdmin<'_> {
    /// `data` of a response that must not carry errors.
    async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = post_graphql(self.client, self.address, query, variables, token)
            .await
            .expect("a JSON response");
        assert!(
            body.get("errors").is_none(),
            "unexpected catalog errors: {body}"
        );
        body["data"].clone()
    }

    /// Creates a category; returns its id.
    pub async fn create_category(&self, name: &str, parent_id: Option<&str>) -> String {
        let data = self
            .data(
                "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } errors { code } } }",
                json!({ "input": { "name": name, "parentId": parent_id } }),
                Some(&self.token),
            )
            .await;
        data["createCategory"]["category"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("category created: {data}"))
            .to_owned()
    }

    /// Creates a product with one SKU per (name, price, stock); returns
    /// (product id, SKU ids).
    pub async fn create_product(
        &self,
        category_id: &str,
        name: &str,
        skus: &[(&str, i64, i64)],
    ) -> (String, Vec<String>) {
        let skus: Vec<Value> = skus
            .iter()
            .map(|(n, price, stock)| json!({ "name": n, "price": price, "stock": stock }))
            .collect();
        let data = self
            .data(
                "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id skus { id } } errors { code field message } } }",
                json!({ "input": { "categoryId": category_id, "name": name, "brand": "TestBrand",
                    "description": "测试 test", "images": ["https://img.example.com/a.jpg"], "skus": skus } }),
                Some(&self.token),
            )
            .await;
        let product = &data["createProduct"]["product"];
        let id = product["id"]
            .as_str()
            .unwrap_or_else(|| panic!("product created: {data}"))
            .to_owned();
        let sku_ids = product["skus"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        (id, sku_ids)
    }

    /// A SKU's stock as the catalog shows anyone (through the product
    /// detail).
    pub async fn stock_of(&self, product_id: &str, sku_id: &str) -> i64 {
        let data = self
            .data(
                "query($id: ID!) { product(id: $id) { skus(includeArchived: true) { id stock } } }",
                json!({ "id": product_id }),
                None,
            )
            .await;
        data["product"]["skus"]
            .as_array()
            .and_then(|skus| skus.iter().find(|s| s["id"] == sku_id))
            .and_then(|s| s["stock"].as_i64())
            .unwrap_or_else(|| panic!("SKU {sku_id} in {data}"))
    }
}
