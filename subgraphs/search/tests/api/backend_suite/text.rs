//! Full-text matching: words in either language, stemming, every word
//! required, highlights, and query syntax taken as plain text.

use std::collections::HashSet;

use search::domain::{Page, SearchFilter, SearchRequest, SearchResults, SortOrder};

use super::{ids, names, request, search};
use crate::{backends::on_each_backend, data};

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
