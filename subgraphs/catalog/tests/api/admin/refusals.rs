//! Refusals: non-admins, and bad product input, each writing nothing.

use serde_json::{Value, json};

use super::{CREATE, product_count, product_input};
use crate::helpers::{error_code, spawn_app};

#[tokio::test]
async fn non_admins_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let category = app.create_category("Home", None).await;
    let (product, skus) = app
        .create_product(&category, "Desk", &[("120cm", 89900, 4)])
        .await;
    let customer = app.tokens.customer("shopper-1");
    let attempts = [
        (CREATE, json!({ "input": product_input(&category) })),
        (
            "mutation($id: ID!) { archiveProduct(id: $id) { errors { code } } }",
            json!({ "id": product }),
        ),
        (
            "mutation($id: ID!) { adjustStock(skuId: $id, delta: -1) { errors { code } } }",
            json!({ "id": skus[0] }),
        ),
        (
            "mutation { createCategory(input: { name: \"x\" }) { errors { code } } }",
            json!({}),
        ),
    ];
    for (query, variables) in &attempts {
        let body = app.graphql(query, variables.clone(), Some(&customer)).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
        let body = app.graphql(query, variables.clone(), None).await;
        assert_eq!(
            error_code(&body),
            Some("UNAUTHENTICATED"),
            "{query}: {body}"
        );
    }
    assert_eq!(product_count(&app).await, 1);
    assert_eq!(app.stock_of(&product, &skus[0]).await, 4);
    let tree = app.data("{ categories { id } }", json!({}), None).await;
    assert_eq!(tree["categories"].as_array().map(Vec::len), Some(1));
    let detail = app
        .data(
            "query($id: ID!) { product(id: $id) { status } }",
            json!({ "id": product }),
            None,
        )
        .await;
    assert_eq!(detail["product"]["status"], "ACTIVE");

    // A forged token (another key) is refused outright.
    let other = crate::helpers::spawn_app().await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(other.tokens.admin())
        .json(&json!({ "query": "{ categories { id } }" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn bad_product_input_gets_typed_errors_and_writes_nothing() {
    let app = spawn_app().await;
    let category = app.create_category("数码", None).await;
    let with = |patch: Value| {
        let mut input = product_input(&category);
        if let (Some(target), Some(fields)) = (input.as_object_mut(), patch.as_object()) {
            for (k, v) in fields {
                target.insert(k.clone(), v.clone());
            }
        }
        json!({ "input": input })
    };
    let cases = [
        (
            with(json!({ "name": "机".repeat(121) })),
            "INVALID_LENGTH",
            "name",
        ),
        (with(json!({ "name": "   " })), "INVALID_LENGTH", "name"),
        (
            with(json!({ "skus": [{ "name": "x", "price": -1, "stock": 1 }] })),
            "INVALID_PRICE",
            "price",
        ),
        (
            with(json!({ "skus": [{ "name": "x", "price": 100, "stock": -3 }] })),
            "INVALID_QUANTITY",
            "stock",
        ),
        (
            with(json!({ "skus": [{ "name": "x", "price": 100, "currency": "USD" }] })),
            "INVALID_CURRENCY",
            "currency",
        ),
        (
            with(json!({ "images": ["javascript:alert(1)"] })),
            "INVALID_URL",
            "images",
        ),
        (
            with(json!({ "categoryId": "no-such-category" })),
            "NOT_FOUND",
            "categoryId",
        ),
    ];
    for (variables, code, field) in &cases {
        let data = app
            .data(CREATE, variables.clone(), Some(&app.tokens.admin()))
            .await;
        let errors = &data["createProduct"]["errors"];
        assert_eq!(errors[0]["code"], *code, "{errors}");
        assert_eq!(errors[0]["field"], *field, "{errors}");
        assert_eq!(data["createProduct"]["product"], Value::Null);
    }
    assert_eq!(product_count(&app).await, 0);

    let data = app
        .data(
            "mutation { updateProduct(input: { id: \"nope\", name: \"x\" }) { errors { code } } }",
            json!({}),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["updateProduct"]["errors"][0]["code"], "NOT_FOUND");
    let data = app
        .data(
            "mutation { createSku(input: { productId: \"nope\", name: \"x\", price: 1 }) { errors { code } } }",
            json!({}),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["createSku"]["errors"][0]["code"], "NOT_FOUND");
}
