//! The demo seed runs on first start only.

use futures::future::join_all;
use platform::{auth::SigningKey, db::Db};
use serde_json::json;

use crate::helpers::{default_engine, settings, spawn_with};

#[tokio::test]
async fn seeding_twice_seeds_once() {
    let url = platform::testing::fresh_database_url(default_engine())
        .await
        .expect("a database");
    let key = SigningKey::generate().expect("a key");
    let first = spawn_with(settings(&url, &key, true), key).await;
    let before = first.all_documents().await;
    assert_eq!(before.len(), 240);
    // The demo has no orders, so nothing is sold: the SALES sort's count is
    // orders' `salesCount` (units of paid, unrefunded orders), 0 here.
    assert!(
        before.iter().all(|d| d["salesCount"] == 0),
        "the seed invented sales"
    );

    // A second start on the same database, and concurrent direct calls.
    let key = SigningKey::generate().expect("a key");
    let second = spawn_with(settings(&url, &key, true), key).await;
    assert_eq!(second.all_documents().await.len(), 240);
    let db = Db::connect(&url).await.expect("connects");
    let seeded = join_all((0..3).map(|_| catalog::seed_demo(&db))).await;
    assert!(seeded.iter().all(|r| matches!(r, Ok(false))), "{seeded:?}");
    let tree = second
        .data("{ categories { id } flashSales { id } }", json!({}), None)
        .await;
    assert_eq!(tree["categories"].as_array().map(Vec::len), Some(5));
    assert_eq!(tree["flashSales"].as_array().map(Vec::len), Some(1));
    assert_eq!(second.all_documents().await.len(), 240);
}

#[tokio::test]
async fn the_demo_catalog_mixes_chinese_and_english() {
    let url = platform::testing::fresh_database_url(default_engine())
        .await
        .expect("a database");
    let db = Db::connect(&url).await.expect("connects");
    db.migrate(&catalog::MIGRATIONS).await.expect("migrates");
    let runs = join_all((0..2).map(|_| catalog::seed_demo(&db))).await;
    let seeded = runs.iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(seeded, 1, "{runs:?}");
    let key = SigningKey::generate().expect("a key");
    let app = spawn_with(settings(&url, &key, false), key).await;
    let docs = app.all_documents().await;
    let chinese = docs
        .iter()
        .filter(|d| {
            d["name"]
                .as_str()
                .is_some_and(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        })
        .count();
    let english_description = docs
        .iter()
        .filter(|d| {
            d["description"]
                .as_str()
                .is_some_and(|n| n.starts_with("The "))
        })
        .count();
    assert!(
        chinese >= 100 && english_description >= 100,
        "{chinese} {english_description}"
    );
    assert!(docs.iter().any(|d| d["hot"] == true));
    assert!(
        docs.iter()
            .any(|d| d["name"].as_str().is_some_and(|n| n.contains("手机")))
    );
    assert!(docs.iter().any(|d| {
        d["name"]
            .as_str()
            .is_some_and(|n| n.contains("Running Shoes"))
    }));
}
