//! The index's answers agree with the catalog's data: facets counted from
//! its documents, filters against its own listing.

use std::collections::HashSet;

use search::domain::{Facets, ProductDocument};
use serde_json::{Value, json};

use super::{all_found, live_catalog::spawn_catalog, spawn_search};
use crate::backend_suite::count_facets;

/// Facets in the shape the GraphQL API returns them.
fn facets_json(facets: &Facets) -> Value {
    json!({
        "categories": facets.categories.iter().map(|c| json!({ "category": { "id": c.value }, "count": c.count })).collect::<Vec<_>>(),
        "brands": facets.brands.iter().map(|b| json!({ "brand": b.value, "count": b.count })).collect::<Vec<_>>(),
        "priceBuckets": facets.prices.iter().map(|b| json!({ "min": b.min.map(|m| m.to_string()), "max": b.max.map(|m| m.to_string()), "count": b.count })).collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn the_first_start_fills_the_index_and_facets_agree_with_the_catalogs_data() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    let active: Vec<&ProductDocument> = documents.iter().filter(|d| d.status == "ACTIVE").collect();
    assert!(active.len() >= 200, "the demo catalog has its products");

    let (ids, page) = all_found(&app, json!({})).await;
    assert_eq!(page["totalCount"], active.len());
    let expected: HashSet<&str> = active.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids.iter().map(String::as_str).collect::<HashSet<_>>(),
        expected
    );
    assert_eq!(page["facets"], facets_json(&count_facets(&active)));

    // One leaf category, counted both ways.
    let leaf = active[0].category_id.clone().expect("a category");
    let in_leaf: Vec<&ProductDocument> = active
        .iter()
        .copied()
        .filter(|d| d.all_category_ids().contains(&leaf))
        .collect();
    let (_, page) = all_found(&app, json!({ "filter": { "categoryId": leaf } })).await;
    assert_eq!(page["totalCount"], in_leaf.len());
    assert_eq!(page["facets"], facets_json(&count_facets(&in_leaf)));
}

#[tokio::test]
async fn filters_agree_with_the_catalogs_own_listing() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    // The catalog lists ancestors root first.
    let top = documents[0]
        .category_ids
        .first()
        .cloned()
        .expect("a root category");
    let dearest_in_top = documents
        .iter()
        .filter(|d| d.all_category_ids().contains(&top))
        .map(|d| d.min_price)
        .max()
        .expect("products under the root");
    let brand = documents[1].brand.clone().expect("a brand");
    let filters = [
        json!({ "categoryId": top }),
        json!({ "categoryId": documents[2].category_id }),
        json!({ "brand": brand }),
        json!({ "minPrice": 10_000, "maxPrice": 300_000 }),
        json!({ "maxPrice": 20_000, "inStock": true }),
        json!({ "categoryId": top, "minPrice": dearest_in_top }),
    ];
    for filter in filters {
        let listed = catalog.listed(&filter).await;
        let (found, _) = all_found(&app, json!({ "filter": filter })).await;
        let found: HashSet<String> = found.into_iter().collect();
        assert!(!listed.is_empty(), "{filter}: the catalog lists something");
        assert_eq!(found, listed, "{filter}");
    }
}
