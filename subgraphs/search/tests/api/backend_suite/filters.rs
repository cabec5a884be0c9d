//! Filters, facets, sorts and paging, checked against counts made
//! without the index.

use std::collections::HashSet;

use search::domain::{Page, PriceRange, ProductDocument, SearchFilter, SearchRequest, SortOrder};

use super::{count_facets, ids, passes, request, search};
use crate::{
    backends::on_each_backend,
    data::{self, APPAREL, AUDIO, ELECTRONICS, HEADPHONES, SHOES},
};

#[tokio::test]
async fn filters_and_facets_agree_with_an_independent_count() {
    let all = data::products();
    let filters = [
        SearchFilter::default(),
        SearchFilter {
            category_id: Some(ELECTRONICS.into()),
            ..Default::default()
        },
        SearchFilter {
            category_id: Some(HEADPHONES.into()),
            in_stock: Some(true),
            ..Default::default()
        },
        SearchFilter {
            category_id: Some(APPAREL.into()),
            brand: Some("Nike".into()),
            ..Default::default()
        },
        SearchFilter {
            brand: Some("华为".into()),
            ..Default::default()
        },
        SearchFilter {
            price: PriceRange::parse(Some(50_000), Some(130_000)).expect("a range"),
            ..Default::default()
        },
        SearchFilter {
            price: PriceRange::parse(None, Some(40_000)).expect("a range"),
            in_stock: Some(true),
            ..Default::default()
        },
        SearchFilter {
            in_stock: Some(false),
            ..Default::default()
        },
        SearchFilter {
            category_id: Some(AUDIO.into()),
            price: PriceRange::parse(Some(100_000), None).expect("a range"),
            ..Default::default()
        },
    ];
    on_each_backend(&all, |index, backend| {
        let filters = filters.clone();
        async move {
            let searchable = data::searchable();
            for filter in filters {
                let browse = SearchRequest {
                    text: None,
                    filter: filter.clone(),
                    sort: SortOrder::Newest,
                    page: Page::parse(100, None).expect("a page"),
                };
                let results = search(&index, &browse).await;
                let expected: Vec<&ProductDocument> =
                    searchable.iter().filter(|p| passes(p, &filter)).collect();
                let expected_ids: HashSet<String> = expected.iter().map(|p| p.id.clone()).collect();
                assert_eq!(
                    ids(&results).into_iter().collect::<HashSet<_>>(),
                    expected_ids,
                    "{backend}: {filter:?}"
                );
                assert_eq!(
                    results.total,
                    expected.len() as u64,
                    "{backend}: {filter:?}"
                );
                assert_eq!(
                    results.facets,
                    count_facets(&expected),
                    "{backend}: {filter:?}"
                );
            }

            // With text: facets describe exactly the documents found.
            for text in ["shoes", "蓝牙", "running", "pro"] {
                let results = search(
                    &index,
                    &request(text, SearchFilter::default(), SortOrder::Relevance),
                )
                .await;
                let found: Vec<&ProductDocument> = searchable
                    .iter()
                    .filter(|p| results.hits.iter().any(|h| h.id == p.id))
                    .collect();
                assert!(!found.is_empty(), "{backend}: {text}");
                assert_eq!(results.total, found.len() as u64, "{backend}: {text}");
                assert_eq!(results.facets, count_facets(&found), "{backend}: {text}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_unknown_category_finds_nothing() {
    on_each_backend(&data::products(), |index, backend| async move {
        let filter = SearchFilter {
            category_id: Some("no-such-category".into()),
            ..Default::default()
        };
        let results = search(&index, &request("", filter, SortOrder::Relevance)).await;
        assert_eq!(results.total, 0, "{backend}");
        assert!(results.hits.is_empty(), "{backend}");
        assert!(
            results.facets.prices.iter().all(|b| b.count == 0),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn sorts_order_the_whole_result_set() {
    on_each_backend(&data::products(), |index, backend| async move {
        let mut expected = data::searchable();
        let shoes = SearchFilter {
            category_id: Some(SHOES.into()),
            ..Default::default()
        };
        expected.retain(|p| passes(p, &shoes));
        type Key = fn(&ProductDocument) -> i64;
        let cases: [(SortOrder, Key); 5] = [
            (SortOrder::PriceAsc, |p| p.min_price),
            (SortOrder::PriceDesc, |p| -p.min_price),
            (SortOrder::Newest, |p| -p.created_at),
            (SortOrder::Sales, |p| -p.sales_count),
            // Browsing matches everything equally: best sellers first.
            (SortOrder::Relevance, |p| -p.sales_count),
        ];
        for (sort, key) in cases {
            let mut sorted = expected.clone();
            sorted.sort_by_key(|p| (key(p), p.id.clone()));
            let results = search(&index, &request("", shoes.clone(), sort)).await;
            let want: Vec<String> = sorted.iter().map(|p| p.id.clone()).collect();
            assert_eq!(ids(&results), want, "{backend}: {sort:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_or_repeats() {
    on_each_backend(&data::products(), |index, backend| async move {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = Page::parse(3, after.as_deref()).expect("a page");
            let results = search(
                &index,
                &SearchRequest {
                    text: None,
                    filter: SearchFilter::default(),
                    sort: SortOrder::Sales,
                    page,
                },
            )
            .await;
            if results.hits.is_empty() {
                break;
            }
            let last = page.offset() + results.hits.len() - 1;
            seen.extend(ids(&results));
            after = Some(search::domain::Cursor::new(last).encode());
        }
        let all = search(
            &index,
            &request("", SearchFilter::default(), SortOrder::Sales),
        )
        .await;
        assert_eq!(seen, ids(&all), "{backend}");
        assert_eq!(seen.len(), data::searchable().len(), "{backend}");
    })
    .await;
}
