//! Admin mutations: products, SKUs, categories, stock; and refusals.
//! Here: the product a test creates, and the catalog's product count.

mod categories;
mod flash_sales;
mod products;
mod refusals;

use serde_json::{Value, json};

use crate::helpers::TestApp;

const CREATE: &str = "mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { id name status hot tags skus { id name stock price { amount currency } } category { id } }
  errors { code field message } } }";

fn product_input(category_id: &str) -> Value {
    json!({ "categoryId": category_id, "name": "测试手机 Test Phone", "brand": "ShopGraph",
        "description": "A phone", "tags": ["手机", "phone"], "hot": true,
        "images": ["https://img.example.com/phone.jpg"],
        "skus": [{ "name": "128GB", "price": 199900, "stock": 5 }, { "name": "256GB", "price": 229900, "stock": 0 }] })
}

async fn product_count(app: &TestApp) -> usize {
    app.all_documents().await.len()
}
