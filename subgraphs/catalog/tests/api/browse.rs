//! Browsing the seeded demo catalog: the category tree, and product listings
//! under each filter and sort, checked against the catalog's own documents.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app, spawn_seeded_app};

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

#[tokio::test]
async fn the_category_tree_has_three_ordered_levels() {
    let app = spawn_seeded_app().await;
    let data = app
        .data(
            "{ categories { id name position level children { id position level parent { id }
                children { id position level children { id } } } } }",
            json!({}),
            None,
        )
        .await;
    let tops = data["categories"].as_array().expect("a list");
    assert_eq!(tops.len(), 5);
    let positions = |list: &Vec<Value>| {
        list.iter()
            .map(|c| c["position"].as_i64().unwrap_or(-1))
            .collect::<Vec<_>>()
    };
    let mut sorted = positions(tops);
    sorted.sort();
    assert_eq!(positions(tops), sorted, "top level ordered by position");
    for top in tops {
        assert_eq!(top["level"], 1);
        let middles = top["children"].as_array().expect("children");
        assert_eq!(middles.len(), 3);
        for middle in middles {
            assert_eq!(middle["level"], 2);
            assert_eq!(middle["parent"]["id"], top["id"]);
            let leaves = middle["children"].as_array().expect("grandchildren");
            assert!((2..=3).contains(&leaves.len()), "{middle}");
            let mut sorted = positions(leaves);
            sorted.sort();
            assert_eq!(positions(leaves), sorted);
            for leaf in leaves {
                assert_eq!(leaf["level"], 3);
                assert_eq!(leaf["children"], json!([]));
            }
        }
    }
}

#[tokio::test]
async fn every_filter_returns_exactly_the_matching_products() {
    let app = spawn_seeded_app().await;
    let docs = app.all_documents().await;
    assert!(docs.len() >= 200);

    let everything = list_all(&app, json!({}), "NEWEST").await;
    assert_eq!(ids(&everything), doc_ids(&docs, |_| true));
    assert_eq!(
        everything.len(),
        ids(&everything).len(),
        "no product twice across pages"
    );

    // A top-level category includes everything below it.
    let tree = app
        .data("{ categories { id children { id } } }", json!({}), None)
        .await;
    let top = tree["categories"][1]["id"]
        .as_str()
        .expect("a category")
        .to_owned();
    let in_top = list_all(&app, json!({ "categoryId": top }), "NEWEST").await;
    let expected = doc_ids(&docs, |d| {
        d["categoryId"] == top.as_str()
            || d["ancestorCategoryIds"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == top.as_str()))
    });
    assert!(!expected.is_empty());
    assert_eq!(ids(&in_top), expected);
    for product in &in_top {
        let ancestors = &product["category"]["ancestors"];
        assert!(
            ancestors
                .as_array()
                .is_some_and(|a| a.iter().any(|c| c["id"] == top.as_str()))
        );
    }

    let brand = docs[3]["brand"].as_str().expect("a brand").to_owned();
    let by_brand = list_all(&app, json!({ "brand": brand }), "NEWEST").await;
    assert_eq!(
        ids(&by_brand),
        doc_ids(&docs, |d| d["brand"] == brand.as_str())
    );

    let (min, max) = (20_000, 80_000);
    let by_price = list_all(
        &app,
        json!({ "minPrice": min, "maxPrice": max }),
        "PRICE_ASC",
    )
    .await;
    assert_eq!(
        ids(&by_price),
        doc_ids(&docs, |d| d["minPrice"]
            .as_i64()
            .is_some_and(|p| (min..=max).contains(&p)))
    );
    assert!(!by_price.is_empty());

    let hot = list_all(&app, json!({ "hot": true }), "NEWEST").await;
    assert_eq!(ids(&hot), doc_ids(&docs, |d| d["hot"] == true));
    assert!(!hot.is_empty() && hot.iter().all(|p| p["hot"] == true));

    let in_stock = list_all(&app, json!({ "inStock": true }), "NEWEST").await;
    let out_of_stock = list_all(&app, json!({ "inStock": false }), "NEWEST").await;
    assert_eq!(ids(&in_stock), doc_ids(&docs, |d| d["inStock"] == true));
    assert_eq!(
        ids(&out_of_stock),
        doc_ids(&docs, |d| d["inStock"] == false)
    );
    assert!(
        !out_of_stock.is_empty(),
        "the demo data has sold-out products"
    );
    assert!(in_stock.iter().all(|p| p["inStock"] == true));

    // Filters combine.
    let combined = list_all(
        &app,
        json!({ "categoryId": top, "inStock": true, "hot": false }),
        "NEWEST",
    )
    .await;
    assert_eq!(
        ids(&combined),
        &(&ids(&in_top) & &ids(&in_stock)) - &ids(&hot)
    );
}

#[tokio::test]
async fn every_sort_orders_the_whole_listing() {
    let app = spawn_seeded_app().await;
    let docs = app.all_documents().await;

    let newest = list_all(&app, json!({}), "NEWEST").await;
    let created: Vec<i64> = newest
        .iter()
        .map(|p| p["createdAt"].as_i64().unwrap_or(0))
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let asc = list_all(&app, json!({}), "PRICE_ASC").await;
    let prices: Vec<i64> = asc
        .iter()
        .map(|p| {
            p["minPrice"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<i64>().ok())
                .unwrap_or(0)
        })
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
    assert!(asc.iter().all(|p| p["minPrice"]["currency"] == "CNY"));
    assert!(asc.iter().all(|p| {
        p["maxPrice"]["amount"]
            .as_str()
            .and_then(|a| a.parse::<i64>().ok())
            >= p["minPrice"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<i64>().ok())
    }));

    let desc = list_all(&app, json!({}), "PRICE_DESC").await;
    let prices: Vec<i64> = desc
        .iter()
        .map(|p| {
            p["minPrice"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<i64>().ok())
                .unwrap_or(0)
        })
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "dearest first");

    let sales = list_all(&app, json!({}), "SALES").await;
    let mut expected: Vec<&Value> = docs.iter().filter(|d| d["status"] == "ACTIVE").collect();
    expected.sort_by(|a, b| {
        b["salesCount"]
            .as_i64()
            .cmp(&a["salesCount"].as_i64())
            .then(b["id"].as_str().cmp(&a["id"].as_str()))
    });
    let expected: Vec<&str> = expected.iter().filter_map(|d| d["id"].as_str()).collect();
    let got: Vec<&str> = sales.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(got, expected, "best-selling first");
    assert_eq!(newest.len(), asc.len());
    assert_eq!(asc.len(), sales.len());
}

#[tokio::test]
async fn listing_pages_chain_through_cursors() {
    let app = spawn_seeded_app().await;
    let first = app.data(LIST, json!({ "first": 7 }), None).await;
    let page = &first["products"];
    assert_eq!(page["edges"].as_array().map(Vec::len), Some(7));
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    let second = app
        .data(
            LIST,
            json!({ "first": 7, "after": page["pageInfo"]["endCursor"] }),
            None,
        )
        .await;
    assert_eq!(second["products"]["pageInfo"]["hasPreviousPage"], true);
    let a = ids(&page["edges"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|e| e["node"].clone())
        .collect::<Vec<_>>());
    let b = ids(&second["products"]["edges"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|e| e["node"].clone())
        .collect::<Vec<_>>());
    assert_eq!(b.len(), 7);
    assert!(a.is_disjoint(&b));
}

#[tokio::test]
async fn bad_listing_arguments_are_refused_with_bad_user_input() {
    let app = spawn_seeded_app().await;
    for variables in [
        json!({ "first": 101 }),
        json!({ "first": -1 }),
        json!({ "filter": { "minPrice": -1 } }),
        json!({ "filter": { "minPrice": 500, "maxPrice": 100 } }),
        json!({ "after": "not-a-cursor" }),
    ] {
        let body = app.graphql(LIST, variables.clone(), None).await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{variables}: {body}"
        );
    }
    // A cursor of one sort is refused by another.
    let page = app
        .data(LIST, json!({ "first": 1, "sort": "NEWEST" }), None)
        .await;
    let body = app
        .graphql(
            LIST,
            json!({ "sort": "PRICE_ASC", "after": page["products"]["pageInfo"]["endCursor"] }),
            None,
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    // An unknown category is an empty listing.
    let data = app
        .data(
            LIST,
            json!({ "filter": { "categoryId": "no-such-category" } }),
            None,
        )
        .await;
    assert_eq!(data["products"]["edges"], json!([]));
}

#[tokio::test]
async fn product_detail_shows_skus_and_unknown_ids_are_null() {
    let app = spawn_seeded_app().await;
    let list = app.data(LIST, json!({ "first": 1 }), None).await;
    let id = list["products"]["edges"][0]["node"]["id"].clone();
    let query = "query($id: ID!) { product(id: $id) { id name description images brand tags status
        skus { id name price { amount currency } stock inStock } category { id name } } }";
    let data = app.data(query, json!({ "id": id }), None).await;
    let product = &data["product"];
    assert_eq!(product["id"], id);
    assert_eq!(product["status"], "ACTIVE");
    let skus = product["skus"].as_array().expect("skus");
    assert!((1..=4).contains(&skus.len()));
    assert!(skus.iter().all(|s| s["price"]["currency"] == "CNY"));
    assert!(
        product["images"][0]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );

    // Asked twice (the second time from the cache), and for unknown ids.
    assert_eq!(app.data(query, json!({ "id": id }), None).await, data);
    for _ in 0..2 {
        let data = app
            .data(
                query,
                json!({ "id": "00000000-0000-0000-0000-000000000000" }),
                None,
            )
            .await;
        assert_eq!(data["product"], Value::Null);
    }
}

#[tokio::test]
async fn a_fresh_catalog_without_seed_is_empty() {
    let app = spawn_app().await;
    let data = app
        .data(
            "{ categories { id } products(first: 5) { edges { cursor } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(data["categories"], json!([]));
    assert_eq!(data["products"]["edges"], json!([]));
}

#[tokio::test]
async fn flash_sales_running_now_are_listed() {
    let app = spawn_seeded_app().await;
    let query = "query($at: Int) { flashSales(activeAt: $at) { id active quantity perUserLimit startsAt endsAt
        salePrice { amount currency } sku { id stock price { amount } product { id } } } }";
    let data = app.data(query, json!({ "at": null }), None).await;
    let sales = data["flashSales"].as_array().expect("a list");
    assert_eq!(sales.len(), 1, "{data}");
    let sale = &sales[0];
    assert_eq!(sale["active"], true);
    assert!(
        sale["salePrice"]["amount"]
            .as_str()
            .and_then(|a| a.parse::<i64>().ok())
            < sale["sku"]["price"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<i64>().ok())
    );
    assert!(
        sale["sku"]["stock"].as_i64() >= sale["quantity"].as_i64(),
        "stock behind the sale"
    );
    // Not running a month from now (the demo sale lasts a week).
    let later = sale["endsAt"].as_i64().unwrap_or(0) + 1;
    let data = app.data(query, json!({ "at": later }), None).await;
    assert_eq!(data["flashSales"], json!([]));
    let one = app
        .data(
            "query($id: ID!) { flashSale(id: $id) { id } }",
            json!({ "id": sale["id"] }),
            None,
        )
        .await;
    assert_eq!(one["flashSale"]["id"], sale["id"]);
}
