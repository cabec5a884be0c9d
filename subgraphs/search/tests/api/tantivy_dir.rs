//! The tantivy index directory across restarts, rebuilds and a second
//! opener.

use search::store::{SearchIndex, TantivyIndex};

use crate::data;

fn generations(root: &std::path::Path) -> usize {
    std::fs::read_dir(root)
        .expect("the index directory")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count()
}

#[tokio::test]
async fn the_index_survives_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("search-index");
    let index = TantivyIndex::open(&root).expect("opening");
    index.upsert(&data::products()).await.expect("indexing");
    drop(index);
    let reopened = TantivyIndex::open(&root).expect("reopening");
    assert_eq!(
        reopened.count().await.expect("a count"),
        data::searchable().len() as u64
    );
}

#[tokio::test]
async fn a_second_opener_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("search-index");
    let _first = TantivyIndex::open(&root).expect("opening");
    let second = TantivyIndex::open(&root).err().expect("refused");
    assert!(
        format!("{second:#}").contains("another process holds this index"),
        "{second:#}"
    );
}

#[tokio::test]
async fn an_unfinished_rebuild_leaves_the_current_index_serving() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("search-index");
    let index = TantivyIndex::open(&root).expect("opening");
    index
        .upsert(&data::products()[..3])
        .await
        .expect("indexing");
    let mut rebuild = index.rebuild().await.expect("starting a rebuild");
    rebuild.add(&data::products()).await.expect("adding");
    assert_eq!(generations(&root), 2);
    drop(rebuild);
    drop(index);
    let reopened = TantivyIndex::open(&root).expect("reopening");
    assert_eq!(reopened.count().await.expect("a count"), 3);
    assert_eq!(generations(&root), 1, "the abandoned generation is cleared");

    let mut rebuild = reopened.rebuild().await.expect("starting a rebuild");
    rebuild.add(&data::products()).await.expect("adding");
    rebuild.finish().await.expect("swapping in");
    assert_eq!(generations(&root), 1, "the replaced generation is removed");
    drop(reopened);
    let after_restart = TantivyIndex::open(&root).expect("reopening");
    assert_eq!(
        after_restart.count().await.expect("a count"),
        data::searchable().len() as u64
    );
}
