//! Product listings: every filter, every sort, cursors, and refused
//! arguments.

use serde_json::{Value, json};

use super::{LIST, amount, doc_ids, ids, list_all, min_prices};
use crate::helpers::{error_code, spawn_seeded_app};

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
    let prices = min_prices(&asc);
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
    assert!(asc.iter().all(|p| p["minPrice"]["currency"] == "CNY"));
    assert!(
        asc.iter()
            .all(|p| amount(&p["maxPrice"]) >= amount(&p["minPrice"]))
    );

    let desc = list_all(&app, json!({}), "PRICE_DESC").await;
    let prices = min_prices(&desc);
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
