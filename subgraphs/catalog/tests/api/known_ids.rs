//! The Bloom filter of product ids: a replica answers for products that
//! another replica on the same database created, once its filter synced.
//! (That unknown ids reach neither cache nor database is counted in
//! `statements`, where statements can be counted alone.)

use std::time::Duration;

use platform::auth::SigningKey;
use serde_json::{Value, json};

use crate::helpers::{default_engine, settings, spawn_with};

const PRODUCT: &str = "query($id: ID!) { product(id: $id) { id name } }";
const ENTITY: &str = "query($id: ID!) { _entities(representations: [{ __typename: \"Product\", id: $id }]) { ... on Product { id } } }";

#[tokio::test]
async fn a_replica_finds_products_created_by_another() {
    let url = platform::testing::fresh_database_url(default_engine())
        .await
        .expect("a database");
    let key = SigningKey::generate().expect("a key");
    let writer = spawn_with(settings(&url, &key, false), key).await;
    let key = SigningKey::generate().expect("a key");
    let reader = spawn_with(settings(&url, &key, false), key).await;

    let category = writer.create_category("Books", None).await;
    let (id, _) = writer
        .create_product(
            &category,
            "三体 The Three-Body Problem",
            &[("Paperback", 4900, 3)],
        )
        .await;
    // The replica that created it knows it at once.
    let data = writer.data(PRODUCT, json!({ "id": id }), None).await;
    assert_eq!(data["product"]["id"], id.as_str());

    // The other learns it at its next sync (200 ms in tests).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let data = reader.data(PRODUCT, json!({ "id": id }), None).await;
        if data["product"] != Value::Null {
            assert_eq!(data["product"]["name"], "三体 The Three-Body Problem");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the reader never found the product"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let data = reader.data(ENTITY, json!({ "id": id }), None).await;
    assert_eq!(data["_entities"][0]["id"], id.as_str());

    // Unknown ids are still null, on both.
    for app in [&writer, &reader] {
        let unknown = uuid::Uuid::new_v4().to_string();
        let data = app.data(PRODUCT, json!({ "id": unknown }), None).await;
        assert_eq!(data["product"], Value::Null);
        let data = app.data(ENTITY, json!({ "id": unknown }), None).await;
        assert_eq!(data["_entities"], json!([null]));
    }
}
