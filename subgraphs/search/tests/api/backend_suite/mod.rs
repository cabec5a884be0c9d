//! The suite every backend passes, on the demo data: the helpers its
//! topics share, which ask the index and check answers without it.

mod filters;
mod suggest;
mod text;
mod writes;

use std::collections::BTreeMap;

use search::{
    domain::{
        Facets, Page, PriceBucket, ProductDocument, SearchFilter, SearchRequest, SearchResults,
        SearchText, SortOrder,
    },
    store::SharedIndex,
};

use crate::data;

fn request(text: &str, filter: SearchFilter, sort: SortOrder) -> SearchRequest {
    SearchRequest {
        text: SearchText::parse(Some(text)).expect("valid query text"),
        filter,
        sort,
        page: Page::parse(100, None).expect("a valid page"),
    }
}

async fn search(index: &SharedIndex, request: &SearchRequest) -> SearchResults {
    index.search(request).await.expect("the search runs")
}

fn names(results: &SearchResults) -> Vec<String> {
    let products = data::products();
    results
        .hits
        .iter()
        .map(|hit| {
            products
                .iter()
                .find(|p| p.id == hit.id)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| panic!("unknown hit {}", hit.id))
        })
        .collect()
}

fn ids(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.id.clone()).collect()
}

/// Facets counted in plain Rust over `products`.
pub fn count_facets(products: &[&ProductDocument]) -> Facets {
    let mut categories: BTreeMap<String, u64> = BTreeMap::new();
    let mut brands: BTreeMap<String, u64> = BTreeMap::new();
    for product in products {
        for category in product.all_category_ids() {
            *categories.entry(category).or_default() += 1;
        }
        if let Some(brand) = &product.brand {
            *brands.entry(brand.clone()).or_default() += 1;
        }
    }
    let to_counts = |map: BTreeMap<String, u64>| {
        let mut counts: Vec<_> = map
            .into_iter()
            .map(|(value, count)| search::domain::FacetCount { value, count })
            .collect();
        search::domain::FacetCount::sort(&mut counts);
        counts
    };
    let prices = PriceBucket::ranges()
        .into_iter()
        .map(|(min, max)| PriceBucket {
            min,
            max,
            count: products
                .iter()
                .filter(|p| {
                    min.is_none_or(|m| p.min_price >= m) && max.is_none_or(|m| p.min_price < m)
                })
                .count() as u64,
        })
        .collect();
    Facets {
        categories: to_counts(categories),
        brands: to_counts(brands),
        prices,
    }
}

/// Whether `product` passes `filter`, decided without the index.
fn passes(product: &ProductDocument, filter: &SearchFilter) -> bool {
    filter
        .category_id
        .as_ref()
        .is_none_or(|c| product.all_category_ids().contains(c))
        && filter
            .brand
            .as_ref()
            .is_none_or(|b| product.brand.as_ref() == Some(b))
        && filter.price.min().is_none_or(|m| product.min_price >= m)
        && filter.price.max().is_none_or(|m| product.min_price <= m)
        && filter.in_stock.is_none_or(|s| product.in_stock == s)
}
