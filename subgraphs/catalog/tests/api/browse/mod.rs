//! Browsing the seeded demo catalog: the category tree, and product listings
//! under each filter and sort, checked against the catalog's own documents.
//! Here: the listing query, paging through it, and reading its answers.

mod detail;
mod listings;
mod tree;

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::TestApp;

const LIST: &str = "query($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id name brand hot inStock createdAt minPrice { amount currency } maxPrice { amount }
      category { id ancestors { id } } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}";

/// Every product of a listing, following the cursors.
async fn list_all(app: &TestApp, filter: Value, sort: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .data(
                LIST,
                json!({ "filter": filter, "sort": sort, "first": 100, "after": after }),
                None,
            )
            .await;
        let page = &data["products"];
        out.extend(
            page["edges"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e["node"].clone()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

fn ids(products: &[Value]) -> HashSet<String> {
    products
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect()
}

fn doc_ids(docs: &[Value], keep: impl Fn(&Value) -> bool) -> HashSet<String> {
    docs.iter()
        .filter(|d| d["status"] == "ACTIVE" && keep(d))
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect()
}

/// A money value's `amount` (a decimal string) as a number.
fn amount(money: &Value) -> Option<i64> {
    money["amount"].as_str().and_then(|a| a.parse::<i64>().ok())
}

/// The products' minimum prices in listing order (0 where one is missing).
fn min_prices(products: &[Value]) -> Vec<i64> {
    products
        .iter()
        .map(|p| amount(&p["minPrice"]).unwrap_or(0))
        .collect()
}
