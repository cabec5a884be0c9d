//! Federation: `_entities` resolves a batch of references of each type.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn entities_resolve_products_categories_and_users_in_one_request() {
    let app = spawn_app().await;
    let category = app.create_category("数码", None).await;
    let mut ids = Vec::new();
    for name in ["A", "B", "C"] {
        ids.push(
            app.create_product(&category, name, &[("x", 100, 1)])
                .await
                .0,
        );
    }
    let mut representations: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "__typename": "Product", "id": id }))
        .collect();
    representations.push(json!({ "__typename": "Product", "id": "no-such-product" }));
    representations.push(json!({ "__typename": "Category", "id": category }));
    representations.push(json!({ "__typename": "User", "id": "u1" }));
    let data = app
        .data(
            "query($r: [_Any!]!) { _entities(representations: $r) {
                __typename
                ... on Product { id name skus { stock } category { id } }
                ... on Category { id name }
                ... on User { id reviews { id } } } }",
            json!({ "r": representations }),
            None,
        )
        .await;
    let entities = data["_entities"].as_array().expect("entities");
    assert_eq!(entities.len(), 6);
    for (i, name) in ["A", "B", "C"].iter().enumerate() {
        assert_eq!(entities[i]["id"], ids[i].as_str());
        assert_eq!(entities[i]["name"], *name);
        assert_eq!(entities[i]["category"]["id"], category.as_str());
    }
    assert_eq!(entities[3], Value::Null);
    assert_eq!(
        entities[4],
        json!({ "__typename": "Category", "id": category, "name": "数码" })
    );
    assert_eq!(
        entities[5],
        json!({ "__typename": "User", "id": "u1", "reviews": [] })
    );
}
