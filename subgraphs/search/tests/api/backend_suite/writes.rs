//! Index writes: replacing, removing, stale versions, and rebuilds.

use search::domain::{ProductDocument, SearchFilter, SortOrder};

use super::{ids, request, search};
use crate::{backends::on_each_backend, data};

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
