//! The suite every backend passes, on the demo data.

use std::collections::{BTreeMap, HashSet};

use search::{
    domain::{
        Facets, Page, PriceBucket, PriceRange, ProductDocument, SearchFilter, SearchRequest,
        SearchResults, SearchText, SortOrder, SuggestPrefix,
    },
    store::SharedIndex,
};

use crate::{
    backends::on_each_backend,
    data::{self, APPAREL, AUDIO, ELECTRONICS, HEADPHONES, SHOES},
};

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

#[tokio::test]
async fn a_chinese_word_finds_the_products_named_with_it_first() {
    on_each_backend(&data::products(), |index, backend| async move {
        let results = search(
            &index,
            &request("耳机", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let found = names(&results);
        let named: Vec<&String> = found.iter().take_while(|n| n.contains("耳机")).collect();
        assert_eq!(named.len(), 2, "{backend}: {found:?}");
        assert!(
            !found.iter().any(|n| n.contains("原型")),
            "{backend}: drafts are not searchable"
        );

        let results = search(
            &index,
            &request("手机", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let found = names(&results);
        assert_eq!(found.len(), 3, "{backend}: {found:?}");
        assert!(
            found.iter().all(|n| n.contains("手机")),
            "{backend}: {found:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_english_word_finds_the_products_named_with_it_first() {
    on_each_backend(&data::products(), |index, backend| async move {
        let results = search(
            &index,
            &request("headphones", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let found = names(&results);
        assert_eq!(found.len(), 2, "{backend}: {found:?}");
        assert!(
            found.iter().all(|n| n.contains("Headphones")),
            "{backend}: {found:?}"
        );
        assert!(results.hits.iter().all(|h| h.score > 0.0), "{backend}");

        let results = search(
            &index,
            &request(
                "noise cancelling",
                SearchFilter::default(),
                SortOrder::Relevance,
            ),
        )
        .await;
        assert_eq!(
            names_of_first(&results),
            Some("Sony WH-1000XM5 Wireless Noise Cancelling Headphones".into()),
            "{backend}"
        );
    })
    .await;
}

fn names_of_first(results: &SearchResults) -> Option<String> {
    names(results).into_iter().next()
}

#[tokio::test]
async fn english_is_stemmed_and_case_folded() {
    on_each_backend(&data::products(), |index, backend| async move {
        let plural = search(
            &index,
            &request("shoes", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let singular = search(
            &index,
            &request("Shoe", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let shouted = search(
            &index,
            &request("SHOES", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let set = |r: &SearchResults| ids(r).into_iter().collect::<HashSet<_>>();
        assert_eq!(plural.total, 3, "{backend}: {:?}", names(&plural));
        assert_eq!(set(&plural), set(&singular), "{backend}");
        assert_eq!(set(&plural), set(&shouted), "{backend}");
        let running = search(
            &index,
            &request("run", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        assert!(
            names(&running).iter().any(|n| n.contains("Running")),
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn every_word_of_the_query_must_match() {
    on_each_backend(&data::products(), |index, backend| async move {
        let results = search(
            &index,
            &request(
                "Nike basketball",
                SearchFilter::default(),
                SortOrder::Relevance,
            ),
        )
        .await;
        assert_eq!(
            names(&results),
            ["Nike 篮球鞋 Basketball Shoes"],
            "{backend}"
        );
        let results = search(
            &index,
            &request("华为 耳机", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        assert_eq!(
            names(&results),
            ["华为 FreeBuds Pro 3 无线蓝牙耳机"],
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn hits_carry_highlighted_snippets() {
    on_each_backend(&data::products(), |index, backend| async move {
        let results = search(
            &index,
            &request("蓝牙耳机", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let first = results.hits.first().expect("a hit");
        let name = first.name_highlight.as_deref().unwrap_or_default();
        assert!(name.contains("<em>"), "{backend}: {name}");
        let results = search(
            &index,
            &request("cushioning", SearchFilter::default(), SortOrder::Relevance),
        )
        .await;
        let first = results.hits.first().expect("a hit");
        assert_eq!(first.name_highlight, None, "{backend}");
        let description = first.description_highlight.as_deref().unwrap_or_default();
        assert!(
            description.contains("<em>cushioning</em>"),
            "{backend}: {description}"
        );
        let browse = index
            .search(&SearchRequest {
                text: None,
                filter: SearchFilter::default(),
                sort: SortOrder::Relevance,
                page: Page::parse(5, None).expect("a page"),
            })
            .await
            .expect("browsing");
        assert!(
            browse.hits.iter().all(|h| h.name_highlight.is_none()),
            "{backend}"
        );
    })
    .await;
}

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

#[tokio::test]
async fn query_syntax_and_punctuation_are_plain_text() {
    on_each_backend(&data::products(), |index, backend| async move {
        for text in [
            "?!*",
            "\"",
            "((",
            "-",
            "AND OR NOT",
            "*:*",
            "\\",
            "/",
            "。，！",
        ] {
            let results = search(
                &index,
                &request(text, SearchFilter::default(), SortOrder::Relevance),
            )
            .await;
            assert!(
                results.total == 0 || text == "AND OR NOT",
                "{backend}: {text:?} found {:?}",
                names(&results)
            );
        }
        for text in [
            "shoes*",
            "shoes~",
            "+shoes",
            "name:shoes",
            "shoes)",
            "shoes^",
            "\"shoes",
        ] {
            let results = search(
                &index,
                &request(text, SearchFilter::default(), SortOrder::Relevance),
            )
            .await;
            let plain = search(
                &index,
                &request("shoes", SearchFilter::default(), SortOrder::Relevance),
            )
            .await;
            let mut got = ids(&results);
            let mut want = ids(&plain);
            got.sort();
            want.sort();
            if text == "name:shoes" {
                // "name" is a word to look for, like any other: no product has it.
                assert!(got.is_empty(), "{backend}: {text:?}");
            } else {
                assert_eq!(got, want, "{backend}: {text:?}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn suggestions_complete_names_from_any_word_in_either_language() {
    on_each_backend(&data::products(), |index, backend| async move {
        let suggest = |prefix: &'static str| {
            let index = index.clone();
            async move {
                let prefix = SuggestPrefix::parse(prefix)
                    .expect("valid")
                    .expect("not blank");
                index.suggest(&prefix, 10).await.expect("suggestions")
            }
        };
        let nike: Vec<String> = suggest("NIK").await.into_iter().map(|s| s.text).collect();
        assert_eq!(
            nike,
            [
                "Nike Air Zoom Pegasus Running Shoes",
                "Nike 篮球鞋 Basketball Shoes"
            ],
            "{backend}"
        );
        let huawei: Vec<String> = suggest("华为").await.into_iter().map(|s| s.text).collect();
        assert_eq!(
            huawei,
            [
                "华为 Mate 60 Pro 智能手机",
                "华为 FreeBuds Pro 3 无线蓝牙耳机"
            ],
            "{backend}"
        );
        let middle: Vec<String> = suggest("蓝牙").await.into_iter().map(|s| s.text).collect();
        assert!(
            middle.contains(&"小米 Redmi Buds 5 蓝牙耳机".to_owned()),
            "{backend}: {middle:?}"
        );
        let words: Vec<String> = suggest("running sh")
            .await
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(words.len(), 2, "{backend}: {words:?}");
        assert!(suggest("zzz").await.is_empty(), "{backend}");
        assert!(
            suggest("原型").await.is_empty(),
            "{backend}: drafts are not suggested"
        );
        let one = index
            .suggest(
                &SuggestPrefix::parse("s")
                    .expect("valid")
                    .expect("not blank"),
                1,
            )
            .await
            .expect("suggestions");
        assert_eq!(one.len(), 1, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn writes_replace_remove_and_ignore_older_versions() {
    on_each_backend(&data::products(), |index, backend| async move {
        let mut renamed = data::products()[9].clone();
        renamed.name = "Nike 篮球鞋 Court Legend".into();
        renamed.tags.clear();
        renamed.updated_at += 10;
        index
            .upsert(std::slice::from_ref(&renamed))
            .await
            .expect("renaming");
        let find = |text: &'static str| {
            let index = index.clone();
            async move {
                search(
                    &index,
                    &request(text, SearchFilter::default(), SortOrder::Relevance),
                )
                .await
            }
        };
        assert!(
            ids(&find("legend").await).contains(&renamed.id),
            "{backend}"
        );
        assert!(
            !ids(&find("basketball").await).contains(&renamed.id),
            "{backend}"
        );

        // A late, older event changes nothing.
        let stale = data::products()[9].clone();
        index
            .upsert(std::slice::from_ref(&stale))
            .await
            .expect("a stale write");
        assert!(
            ids(&find("legend").await).contains(&renamed.id),
            "{backend}"
        );

        // Archiving removes it; deleting removes another.
        let mut archived = renamed.clone();
        archived.status = "ARCHIVED".into();
        archived.updated_at += 1;
        index.upsert(&[archived]).await.expect("archiving");
        assert!(find("legend").await.hits.is_empty(), "{backend}");
        let before = index.count().await.expect("a count");
        index
            .delete(&[data::id(0), "unknown".into()])
            .await
            .expect("deleting");
        assert_eq!(
            index.count().await.expect("a count"),
            before - 1,
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_rebuild_gives_the_same_results_as_incremental_writes() {
    on_each_backend(&[], |index, backend| async move {
        // Incrementally, one product at a time, in reverse.
        for product in data::products().iter().rev() {
            index
                .upsert(std::slice::from_ref(product))
                .await
                .expect("an incremental write");
        }
        let queries = ["耳机", "shoes", "pro", "", "蓝牙 降噪", "running"];
        let mut incremental = Vec::new();
        for text in queries {
            for sort in [SortOrder::Relevance, SortOrder::PriceAsc, SortOrder::Sales] {
                let r = search(&index, &request(text, SearchFilter::default(), sort)).await;
                incremental.push((text, sort, ids(&r), r.total, r.facets));
            }
        }
        let mut rebuild = index.rebuild().await.expect("starting a rebuild");
        for page in data::products().chunks(4) {
            rebuild.add(page).await.expect("adding a page");
        }
        // The old index serves until the swap.
        assert_eq!(
            index.count().await.expect("a count"),
            data::searchable().len() as u64
        );
        let count = rebuild.finish().await.expect("swapping in");
        assert_eq!(count, data::searchable().len() as u64, "{backend}");
        let mut rebuilt = Vec::new();
        for text in queries {
            for sort in [SortOrder::Relevance, SortOrder::PriceAsc, SortOrder::Sales] {
                let r = search(&index, &request(text, SearchFilter::default(), sort)).await;
                rebuilt.push((text, sort, ids(&r), r.total, r.facets));
            }
        }
        for (before, after) in incremental.iter().zip(&rebuilt) {
            assert_eq!(before, after, "{backend}");
        }
    })
    .await;
}

#[tokio::test]
async fn writes_made_during_a_rebuild_survive_the_swap() {
    on_each_backend(&data::products(), |index, backend| async move {
        let products = data::products();
        let mut rebuild = index.rebuild().await.expect("starting a rebuild");
        assert!(
            index.rebuild().await.is_err(),
            "{backend}: one rebuild at a time"
        );
        rebuild.add(&products[..5]).await.expect("a first page");

        // Events arrive while the catalog is still being read...
        let mut renamed = products[7].clone();
        renamed.name = "Adidas Ultraboost Marathon Edition".into();
        renamed.updated_at += 100;
        index
            .upsert(std::slice::from_ref(&renamed))
            .await
            .expect("an event");
        let mut archived = products[8].clone();
        archived.status = "ARCHIVED".into();
        archived.updated_at += 100;
        index
            .upsert(std::slice::from_ref(&archived))
            .await
            .expect("an event");
        let added = ProductDocument {
            id: "01900000-0000-7000-8000-999999999999".into(),
            name: "Kettlebell 壶铃 16kg".into(),
            ..products[10].clone()
        };
        index
            .upsert(std::slice::from_ref(&added))
            .await
            .expect("an event");

        // ...and the later pages were read before those events.
        rebuild.add(&products[5..]).await.expect("the other pages");
        rebuild.finish().await.expect("swapping in");

        let find = |text: &'static str| {
            let index = index.clone();
            async move {
                let r = search(
                    &index,
                    &request(text, SearchFilter::default(), SortOrder::Relevance),
                )
                .await;
                ids(&r)
            }
        };
        assert!(
            find("marathon").await.contains(&renamed.id),
            "{backend}: the rename was lost"
        );
        assert!(
            !find("李宁").await.contains(&archived.id),
            "{backend}: the archived product came back"
        );
        assert!(
            find("壶铃").await.contains(&added.id),
            "{backend}: the new product was lost"
        );
        assert_eq!(
            index.count().await.expect("a count"),
            data::searchable().len() as u64,
            "{backend}"
        );
        // The next rebuild may start.
        let rebuild = index.rebuild().await.expect("a second rebuild");
        rebuild.abandon().await.expect("abandoning it");
        assert!(
            find("壶铃").await.contains(&added.id),
            "{backend}: abandoning changed nothing"
        );
    })
    .await;
}
