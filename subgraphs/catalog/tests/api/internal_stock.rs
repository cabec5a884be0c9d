//! The internal API: reservations (atomic, idempotent), releases (exactly
//! once), flash sales, product documents, and the token guard.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_seeded_app};

async fn two_skus(app: &TestApp) -> (String, String, String) {
    let category = app.create_category("数码", None).await;
    let (product, skus) = app
        .create_product(
            &category,
            "手机 Phone",
            &[("128GB", 199900, 10), ("256GB", 229900, 3)],
        )
        .await;
    (product, skus[0].clone(), skus[1].clone())
}

#[tokio::test]
async fn a_reservation_is_idempotent_by_order_id() {
    let app = spawn_app().await;
    let (product, a, b) = two_skus(&app).await;
    let request = json!({ "orderId": "order-1", "lines": [{ "skuId": a, "quantity": 4 }, { "skuId": b, "quantity": 2 }] });
    let (status, first) = app
        .internal_post("/internal/stock/reserve", request.clone())
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        first["lines"][0],
        json!({ "skuId": a, "productId": product, "productName": "手机 Phone", "skuName": "128GB",
                "unitPrice": { "amount": 199900, "currency": "CNY" }, "quantity": 4 })
    );
    assert_eq!(first["lines"][1]["quantity"], 2);

    // Repeated (also concurrently): the same lines, stock taken once.
    let repeats =
        join_all((0..5).map(|_| app.internal_post("/internal/stock/reserve", request.clone())))
            .await;
    for (status, body) in repeats {
        assert_eq!(status, 200);
        assert_eq!(body, first);
    }
    assert_eq!(app.stock_of(&product, &a).await, 6);
    assert_eq!(app.stock_of(&product, &b).await, 1);
}

#[tokio::test]
async fn a_short_line_rolls_back_every_line() {
    let app = spawn_app().await;
    let (product, a, b) = two_skus(&app).await;
    let (status, body) = app
        .internal_post(
            "/internal/stock/reserve",
            json!({ "orderId": "order-2", "lines": [{ "skuId": a, "quantity": 1 }, { "skuId": b, "quantity": 4 }] }),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(body, json!({ "code": "OUT_OF_STOCK", "skuId": b }));
    assert_eq!(
        app.stock_of(&product, &a).await,
        10,
        "the first line was rolled back"
    );
    assert_eq!(app.stock_of(&product, &b).await, 3);
    // The refused order id is not burnt: it may reserve what is there.
    let (status, _) = app
        .internal_post(
            "/internal/stock/reserve",
            json!({ "orderId": "order-2", "lines": [{ "skuId": b, "quantity": 3 }] }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.stock_of(&product, &b).await, 0);
}

#[tokio::test]
async fn bad_reservations_are_refused_and_reserve_nothing() {
    let app = spawn_app().await;
    let (product, a, _) = two_skus(&app).await;
    let cases: [(Value, u16, Option<&str>); 6] = [
        (
            json!({ "orderId": "o", "lines": [{ "skuId": "no-such-sku", "quantity": 1 }] }),
            404,
            Some("UNKNOWN_SKU"),
        ),
        (
            json!({ "orderId": "o", "lines": [{ "skuId": a, "quantity": 0 }] }),
            400,
            Some("BAD_REQUEST"),
        ),
        (
            json!({ "orderId": "o", "lines": [{ "skuId": a, "quantity": -2 }] }),
            400,
            Some("BAD_REQUEST"),
        ),
        (
            json!({ "orderId": "o", "lines": [] }),
            400,
            Some("BAD_REQUEST"),
        ),
        (
            json!({ "orderId": "o", "lines": [{ "skuId": a, "quantity": 1 }, { "skuId": a, "quantity": 1 }] }),
            400,
            Some("BAD_REQUEST"),
        ),
        (json!({ "lines": "nonsense" }), 400, Some("BAD_REQUEST")),
    ];
    for (request, status, code) in cases {
        let (got, body) = app
            .internal_post("/internal/stock/reserve", request.clone())
            .await;
        assert_eq!(got, status, "{request}: {body}");
        assert_eq!(body["code"].as_str(), code);
    }
    assert_eq!(app.stock_of(&product, &a).await, 10);
    let (_, body) = app
        .internal_post(
            "/internal/stock/reserve",
            json!({ "orderId": "o", "lines": [{ "skuId": "no-such-sku", "quantity": 1 }] }),
        )
        .await;
    assert_eq!(body["skuId"], "no-such-sku");
}

#[tokio::test]
async fn a_release_gives_stock_back_exactly_once() {
    let app = spawn_app().await;
    let (product, a, b) = two_skus(&app).await;
    let (status, _) = app
        .internal_post(
            "/internal/stock/reserve",
            json!({ "orderId": "order-3", "lines": [{ "skuId": a, "quantity": 5 }, { "skuId": b, "quantity": 3 }] }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.stock_of(&product, &a).await, 5);

    let releases =
        join_all((0..10).map(|_| {
            app.internal_post("/internal/stock/release", json!({ "orderId": "order-3" }))
        }))
        .await;
    let released = releases
        .iter()
        .filter(|(s, body)| *s == 200 && body["released"] == true)
        .count();
    let repeats = releases
        .iter()
        .filter(|(s, body)| *s == 200 && body["released"] == false)
        .count();
    assert_eq!((released, repeats), (1, 9), "{releases:?}");
    assert_eq!(app.stock_of(&product, &a).await, 10);
    assert_eq!(app.stock_of(&product, &b).await, 3);

    let (_, body) = app
        .internal_post(
            "/internal/stock/release",
            json!({ "orderId": "never-reserved" }),
        )
        .await;
    assert_eq!(body, json!({ "released": false }));
}

#[tokio::test]
async fn the_internal_api_needs_the_token() {
    let app = spawn_app().await;
    for token in [None, Some("wrong")] {
        let mut request = app
            .client
            .post(format!("{}/internal/stock/release", app.address))
            .json(&json!({ "orderId": "x" }));
        if let Some(token) = token {
            request = request.header(catalog::INTERNAL_TOKEN_HEADER, token);
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.status().as_u16(), 401);
    }
    let response = app
        .client
        .get(format!("{}/internal/products", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn a_sku_on_sale_names_its_product() {
    let app = spawn_app().await;
    let (product, sku, other) = two_skus(&app).await;
    let (status, owner) = app.internal_get(&format!("/internal/skus/{sku}")).await;
    assert_eq!(status, 200, "{owner}");
    assert_eq!(owner, json!({ "id": sku, "productId": product }));
    app.data(
        "mutation($id: ID!) { archiveSku(id: $id) { sku { status } } }",
        json!({ "id": other }),
        Some(&app.tokens.admin()),
    )
    .await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for missing in [other.as_str(), unknown.as_str()] {
        let (status, body) = app.internal_get(&format!("/internal/skus/{missing}")).await;
        assert_eq!(status, 404, "{missing}: {body}");
        assert_eq!(body["code"], "UNKNOWN_SKU");
        assert_eq!(body["skuId"], missing);
    }
}

#[tokio::test]
async fn flash_sales_and_product_documents_are_served_internally() {
    let app = spawn_seeded_app().await;
    let sales = app
        .data(
            "{ flashSales { id salePrice { amount } sku { id product { id } } } }",
            json!({}),
            None,
        )
        .await;
    let sale = &sales["flashSales"][0];
    let (status, info) = app
        .internal_get(&format!(
            "/internal/flash-sales/{}",
            sale["id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["skuId"], sale["sku"]["id"]);
    assert_eq!(info["productId"], sale["sku"]["product"]["id"]);
    assert_eq!(
        info["salePrice"],
        // The internal API speaks JSON numbers; the graph, MinorUnits strings.
        json!({ "amount": sale["salePrice"]["amount"].as_str().and_then(|a| a.parse::<i64>().ok()),
            "currency": "CNY" })
    );
    assert_eq!(info["perUserLimit"], 2);
    assert!(info["startsAt"].as_i64() < info["endsAt"].as_i64());
    let (status, body) = app.internal_get("/internal/flash-sales/unknown").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));

    let (status, page) = app.internal_get("/internal/products?limit=50").await;
    assert_eq!(status, 200);
    let docs = page["products"].as_array().expect("documents");
    assert_eq!(docs.len(), 50);
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "paged by id");
    assert_eq!(page["nextAfter"], docs[49]["id"]);
    let leaf_doc = &docs[0];
    assert_eq!(
        leaf_doc["ancestorCategoryIds"].as_array().map(Vec::len),
        Some(2),
        "leaves sit at level 3"
    );
    assert!(leaf_doc["minPrice"].as_i64() <= leaf_doc["maxPrice"].as_i64());
    let all = app.all_documents().await;
    assert_eq!(all.len(), 240);
    // By id: the named products that exist, as the pages have them.
    let (status, named) = app
        .internal_get(&format!(
            "/internal/products?ids={},missing,{}",
            ids[3], ids[1]
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(named["products"], json!([docs[1], docs[3]]));
    assert_eq!(named["nextAfter"], Value::Null);
    for bad in [
        "/internal/products?limit=0",
        "/internal/products?limit=501",
        "/internal/products?limit=abc",
    ] {
        let (status, _) = app.internal_get(bad).await;
        assert_eq!(status, 400, "{bad}");
    }
}

#[tokio::test]
async fn a_repeat_after_release_takes_the_stock_again() {
    // Checkout releases a reservation when storing its order fails; the
    // client's retry (same idempotency key, so the same order id) must
    // hold stock again, or the order it stores holds none.
    let app = spawn_app().await;
    let (product, a, _) = two_skus(&app).await;
    let reserve = json!({ "orderId": "order-4", "lines": [{ "skuId": a, "quantity": 4 }] });
    let release = json!({ "orderId": "order-4" });
    let (status, first) = app
        .internal_post("/internal/stock/reserve", reserve.clone())
        .await;
    assert_eq!(status, 200, "{first}");
    let (_, released) = app
        .internal_post("/internal/stock/release", release.clone())
        .await;
    assert_eq!(released, json!({ "released": true }));
    assert_eq!(app.stock_of(&product, &a).await, 10);

    // Repeated (also concurrently): taken again, once.
    let repeats =
        join_all((0..5).map(|_| app.internal_post("/internal/stock/reserve", reserve.clone())))
            .await;
    for (status, body) in repeats {
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, first);
    }
    assert_eq!(
        app.stock_of(&product, &a).await,
        6,
        "the stock is held again"
    );
    // And it is held for real: releasing gives it back once more.
    let (_, released) = app
        .internal_post("/internal/stock/release", release.clone())
        .await;
    assert_eq!(released, json!({ "released": true }));
    assert_eq!(app.stock_of(&product, &a).await, 10);
}

#[tokio::test]
async fn a_repeat_after_release_is_refused_when_the_stock_is_gone() {
    let app = spawn_app().await;
    let (product, _, b) = two_skus(&app).await;
    let reserve = |order: &str, quantity: i64| json!({ "orderId": order, "lines": [{ "skuId": b, "quantity": quantity }] });
    let (status, _) = app
        .internal_post("/internal/stock/reserve", reserve("order-5", 2))
        .await;
    assert_eq!(status, 200);
    app.internal_post("/internal/stock/release", json!({ "orderId": "order-5" }))
        .await;
    // Someone else buys what was given back.
    let (status, _) = app
        .internal_post("/internal/stock/reserve", reserve("order-6", 3))
        .await;
    assert_eq!(status, 200);

    let (status, body) = app
        .internal_post("/internal/stock/reserve", reserve("order-5", 2))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body, json!({ "code": "OUT_OF_STOCK", "skuId": b }));
    assert_eq!(app.stock_of(&product, &b).await, 0);
    // The refused repeat holds nothing: there is nothing to release.
    let (_, released) = app
        .internal_post("/internal/stock/release", json!({ "orderId": "order-5" }))
        .await;
    assert_eq!(released, json!({ "released": false }));
    assert_eq!(app.stock_of(&product, &b).await, 0);
}
