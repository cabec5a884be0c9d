//! Admin mutations: products, SKUs, categories, stock; and refusals.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app};

const CREATE: &str = "mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { id name status hot tags skus { id name stock price { amount currency } } category { id } }
  errors { code field message } } }";

fn product_input(category_id: &str) -> Value {
    json!({ "categoryId": category_id, "name": "测试手机 Test Phone", "brand": "ShopGraph",
        "description": "A phone", "tags": ["手机", "phone"], "hot": true,
        "images": ["https://img.example.com/phone.jpg"],
        "skus": [{ "name": "128GB", "price": 199900, "stock": 5 }, { "name": "256GB", "price": 229900, "stock": 0 }] })
}

async fn product_count(app: &TestApp) -> usize {
    app.all_documents().await.len()
}

#[tokio::test]
async fn an_admin_creates_updates_and_archives_a_product() {
    let app = spawn_app().await;
    let top = app.create_category("数码", None).await;
    let phones = app.create_category("手机", Some(&top)).await;
    let data = app
        .data(
            CREATE,
            json!({ "input": product_input(&phones) }),
            Some(&app.admin()),
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
            Some(&app.admin()),
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
            Some(&app.admin()),
        )
        .await;
    assert_eq!(sku["createSku"]["sku"]["product"]["id"], id.as_str());
    let sku_id = sku["createSku"]["sku"]["id"].clone();
    let updated = app
        .data(
            "mutation($input: UpdateSkuInput!) { updateSku(input: $input) { sku { price { amount } } } }",
            json!({ "input": { "id": sku_id, "price": 249900 } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(updated["updateSku"]["sku"]["price"]["amount"], "249900");
    let archived = app
        .data(
            "mutation($id: ID!) { archiveSku(id: $id) { sku { status } } }",
            json!({ "id": sku_id }),
            Some(&app.admin()),
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
            Some(&app.admin()),
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
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 15);
    assert_eq!(app.stock_of(&product, &skus[0]).await, 15);
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "delta": -15 }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["sku"]["stock"], 0);
    let data = app
        .data(
            adjust,
            json!({ "sku": skus[0], "delta": -1 }),
            Some(&app.admin()),
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
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["adjustStock"]["errors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn non_admins_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let category = app.create_category("Home", None).await;
    let (product, skus) = app
        .create_product(&category, "Desk", &[("120cm", 89900, 4)])
        .await;
    let customer = app.customer("shopper-1");
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
        .bearer_auth(other.admin())
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
            .data(CREATE, variables.clone(), Some(&app.admin()))
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
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["updateProduct"]["errors"][0]["code"], "NOT_FOUND");
    let data = app
        .data(
            "mutation { createSku(input: { productId: \"nope\", name: \"x\", price: 1 }) { errors { code } } }",
            json!({}),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["createSku"]["errors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn categories_are_created_and_moved_within_three_levels() {
    let app = spawn_app().await;
    let a = app.create_category("A", None).await;
    let b = app.create_category("B", None).await;
    let a1 = app.create_category("A1", Some(&a)).await;
    let a11 = app.create_category("A11", Some(&a1)).await;
    let create = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } errors { code field } } }";
    let data = app
        .data(
            create,
            json!({ "input": { "name": "too deep", "parentId": a11 } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["createCategory"]["errors"][0]["code"], "TOO_DEEP");
    let data = app
        .data(
            create,
            json!({ "input": { "name": "x".repeat(51) } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(
        data["createCategory"]["errors"][0]["code"],
        "INVALID_LENGTH"
    );

    let r#move = "mutation($input: MoveCategoryInput!) { moveCategory(input: $input) { category { id level parent { id } } errors { code } } }";
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a, "parentId": a11 } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["errors"][0]["code"], "CYCLE");
    // A1 (with A11 below) under B: levels 2 and 3, fine.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a1, "parentId": b } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["category"]["parent"]["id"], b.as_str());
    // B (with A1, A11) under A would be four levels.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": b, "parentId": a } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["errors"][0]["code"], "TOO_DEEP");
    // A11 to the top level.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a11 } }),
            Some(&app.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["category"]["level"], 1);

    let tree = app
        .data(
            "{ categories { name children { name children { name } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        tree["categories"],
        json!([
            { "name": "A", "children": [] },
            { "name": "B", "children": [{ "name": "A1", "children": [] }] },
            { "name": "A11", "children": [] }
        ])
    );
}

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
    let data = app.data(create, input(json!({})), Some(&app.admin())).await;
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
            .data(create, input(patch.clone()), Some(&app.admin()))
            .await;
        assert_eq!(
            data["createFlashSale"]["errors"][0]["code"], code,
            "{patch}"
        );
    }
    let sales = app.data("{ flashSales { id } }", json!({}), None).await;
    assert_eq!(sales["flashSales"].as_array().map(Vec::len), Some(1));
    let body = app
        .graphql(create, input(json!({})), Some(&app.customer("c")))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
}
