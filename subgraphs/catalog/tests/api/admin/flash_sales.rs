//! Flash sales: created by an admin, bad ones refused.

use serde_json::{Value, json};

use crate::helpers::{error_code, spawn_app};

#[tokio::test]
async fn an_admin_creates_a_flash_sale_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let category = app.create_category("Audio", None).await;
    let (_, skus) = app
        .create_product(&category, "耳机 Headphones", &[("Black", 89900, 50)])
        .await;
    let now = platform::db::now_millis();
    let create = "mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) {
        flashSale { id active salePrice { amount } sku { id } } errors { code field } } }";
    let input = |patch: Value| {
        let mut base = json!({ "skuId": skus[0], "salePrice": 49900, "quantity": 10, "perUserLimit": 1,
            "startsAt": now - 1000, "endsAt": now + 3_600_000 });
        if let (Some(b), Some(p)) = (base.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                b.insert(k.clone(), v.clone());
            }
        }
        json!({ "input": base })
    };
    let data = app
        .data(create, input(json!({})), Some(&app.tokens.admin()))
        .await;
    assert_eq!(data["createFlashSale"]["flashSale"]["active"], true);
    for (patch, code) in [
        (json!({ "salePrice": -5 }), "INVALID_PRICE"),
        (json!({ "quantity": 0 }), "INVALID_QUANTITY"),
        (json!({ "perUserLimit": -1 }), "INVALID_QUANTITY"),
        (json!({ "endsAt": now - 5000 }), "INVALID_WINDOW"),
        (json!({ "skuId": "no-such-sku" }), "NOT_FOUND"),
        (json!({ "quantity": 51 }), "INSUFFICIENT_STOCK"),
    ] {
        let data = app
            .data(create, input(patch.clone()), Some(&app.tokens.admin()))
            .await;
        assert_eq!(
            data["createFlashSale"]["errors"][0]["code"], code,
            "{patch}"
        );
    }
    let sales = app.data("{ flashSales { id } }", json!({}), None).await;
    assert_eq!(sales["flashSales"].as_array().map(Vec::len), Some(1));
    let body = app
        .graphql(create, input(json!({})), Some(&app.tokens.customer("c")))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
}
