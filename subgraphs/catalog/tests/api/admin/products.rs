//! Products and their stock: created, updated, archived, adjusted.

use serde_json::{Value, json};

use super::{CREATE, product_input};
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_admin_creates_updates_and_archives_a_product() {
    let app = spawn_app().await;
    let top = app.create_category("数码", None).await;
    let phones = app.create_category("手机", Some(&top)).await;
    let data = app
        .data(
            CREATE,
            json!({ "input": product_input(&phones) }),
            Some(&app.tokens.admin()),
        )
        .await;
    let product = &data["createProduct"]["product"];
    assert_eq!(data["createProduct"]["errors"], json!([]));
    assert_eq!(product["name"], "测试手机 Test Phone");
    assert_eq!(product["hot"], true);
    assert_eq!(product["category"]["id"], phones.as_str());
    assert_eq!(
        product["skus"][0]["price"],
        json!({ "amount": "199900", "currency": "CNY" })
    );
    let id = product["id"].as_str().expect("an id").to_owned();

    // Visible in the listing of the parent category.
    let list = app
        .data(
            "query($c: ID) { products(filter: { categoryId: $c }) { edges { node { id } } } }",
            json!({ "c": top }),
            None,
        )
        .await;
    assert_eq!(list["products"]["edges"][0]["node"]["id"], id.as_str());

    let update = app
        .data(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id name hot tags } errors { code } } }",
            json!({ "input": { "id": id, "name": "新名字 New Name", "hot": false, "tags": ["新"] } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(
        update["updateProduct"]["product"]["name"],
        "新名字 New Name"
    );
    let detail = app
        .data(
            "query($id: ID!) { product(id: $id) { name hot tags } }",
            json!({ "id": id }),
            None,
        )
        .await;
    assert_eq!(
        detail["product"],
        json!({ "name": "新名字 New Name", "hot": false, "tags": ["新"] })
    );

    let sku = app
        .data(
            "mutation($input: CreateSkuInput!) { createSku(input: $input) { sku { id name stock product { id } } errors { code } } }",
            json!({ "input": { "productId": id, "name": "512GB", "price": 259900, "stock": 3 } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(sku["createSku"]["sku"]["product"]["id"], id.as_str());
    let sku_id = sku["createSku"]["sku"]["id"].clone();
    let updated = app
        .data(
            "mutation($input: UpdateSkuInput!) { updateSku(input: $input) { sku { price { amount } } } }",
            json!({ "input": { "id": sku_id, "price": 249900 } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(updated["updateSku"]["sku"]["price"]["amount"], "249900");
    let archived = app
        .data(
            "mutation($id: ID!) { archiveSku(id: $id) { sku { status } } }",
            json!({ "id": sku_id }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(archived["archiveSku"]["sku"]["status"], "ARCHIVED");
    let skus = app
        .data(
            "query($id: ID!) { product(id: $id) { skus { id } all: skus(includeArchived: true) { id } } }",
            json!({ "id": id }),
            None,
        )
        .await;
    assert_eq!(skus["product"]["skus"].as_array().map(Vec::len), Some(2));
    assert_eq!(skus["product"]["all"].as_array().map(Vec::len), Some(3));

    let archived = app
        .data(
            "mutation($id: ID!) { archiveProduct(id: $id) { product { status } } }",
            json!({ "id": id }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(archived["archiveProduct"]["product"]["status"], "ARCHIVED");
    let list = app
        .data("{ products { edges { node { id } } } }", json!({}), None)
        .await;
    assert_eq!(
        list["products"]["edges"],
        json!([]),
        "archived products leave the listing"
    );
    let detail = app
        .data(
            "query($id: ID!) { product(id: $id) { status } }",
            json!({ "id": id }),
            None,
        )
        .await;
    assert_eq!(detail["product"]["status"], "ARCHIVED", "but stay readable");
}

#[tokio::test]
async fn an_admin_adjusts_stock_and_never_below_zero() {
    let app = spawn_app().await;
    let category = app.create_category("Shoes", None).await;
    let (product, skus) = app
        .create_product(&category, "Running shoes", &[("42", 69900, 5)])
        .await;
    let adjust = "mutation($sku: ID!, $delta: Int!) { adjustStock(skuId: $sku, delta: $delta) { sku { stock } errors { code field } } }";
    // Read once so the detail is cached; writes must invalidate it.
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "delta": 10 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 15);
    assert_eq!(app.stock_of(&product, &skus[0]).await, 15);
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "delta": -15 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 0);
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "delta": -1 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(
        data["adjustStock"]["errors"][0]["code"],
        "INSUFFICIENT_STOCK"
    );
    assert_eq!(data["adjustStock"]["sku"], Value::Null);
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    let data = app
        .data(
            adjust,
            json!({ "sku": "no-such-sku", "delta": 1 }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["errors"][0]["code"], "NOT_FOUND");
}
