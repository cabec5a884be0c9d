//! Events: writes announce `product.changed` through the outbox, stock
//! writes a small `stock.changed` after commit, coalesced; order events
//! drive sales counts, once each.

use std::{sync::Arc, time::Duration};

use contracts::events::{product_changed, stock_changed};
use platform::events::{Broker, Event, handler};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::helpers::{spawn_with_broker, test_broker};

/// What the listener heard: each event's topic and payload.
type Heard = mpsc::UnboundedReceiver<(String, Value)>;

/// Waits for an event on `topic` about `product_id` (its `id` or
/// `productId`) that satisfies `wanted`.
async fn event_of(
    rx: &mut Heard,
    topic: &str,
    product_id: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let (heard, next) = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no matching {topic} for {product_id}"))
            .expect("the test queue is open");
        let about = if heard == product_changed::TOPIC {
            &next["id"]
        } else {
            &next["productId"]
        };
        if heard == topic && about == product_id && wanted(&next) {
            return next;
        }
    }
}

/// Waits for a `product.changed` of `product_id` that satisfies `wanted`.
async fn change_of(rx: &mut Heard, product_id: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    event_of(rx, product_changed::TOPIC, product_id, wanted).await
}

/// Waits for a `stock.changed` of `product_id` that satisfies `wanted`.
async fn stock_change_of(
    rx: &mut Heard,
    product_id: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    event_of(rx, stock_changed::TOPIC, product_id, wanted).await
}

/// Every event about one of `products` heard within `quiet` after the last
/// event (on a real broker the listener hears other tests' products too).
async fn rest(rx: &mut Heard, products: &[&str], quiet: Duration) -> Vec<(String, Value)> {
    let mut heard = Vec::new();
    while let Ok(Some((topic, payload))) = tokio::time::timeout(quiet, rx.recv()).await {
        let about = payload["id"].as_str().or(payload["productId"].as_str());
        if about.is_some_and(|id| products.contains(&id)) {
            heard.push((topic, payload));
        }
    }
    heard
}

async fn listen(broker: &Arc<dyn Broker>) -> (platform::events::Subscription, Heard) {
    let (tx, rx) = mpsc::unbounded_channel();
    let subscription = broker
        .subscribe(
            &format!("catalog-test-listener-{}", uuid::Uuid::new_v4().simple()),
            &[product_changed::TOPIC, stock_changed::TOPIC],
            handler(move |event: Event| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send((event.topic, event.payload));
                    Ok(())
                }
            }),
        )
        .await
        .expect("the test subscribes");
    (subscription, rx)
}

#[tokio::test]
async fn writes_announce_the_new_product_document() {
    let broker = test_broker().await;
    let (_subscription, mut rx) = listen(&broker).await;
    let app = spawn_with_broker(broker.clone()).await;
    let top = app.create_category("数码", None).await;
    let leaf = app.create_category("手机", Some(&top)).await;
    let (product, skus) = app
        .create_product(&leaf, "手机 Phone X", &[("128GB", 199900, 2)])
        .await;

    let created = change_of(&mut rx, &product, |d| d["inStock"] == true).await;
    assert_eq!(created["name"], "手机 Phone X");
    assert_eq!(created["categoryId"], leaf.as_str());
    assert_eq!(created["ancestorCategoryIds"], json!([top]));
    assert_eq!(created["minPrice"], 199900);
    assert_eq!(created["status"], "ACTIVE");

    let adjust = "mutation($sku: ID!) { adjustStock(skuId: $sku, delta: -2) { sku { stock } } }";
    app.data(adjust, json!({ "sku": skus[0] }), Some(&app.tokens.admin()))
        .await;
    let sold_out = stock_change_of(&mut rx, &product, |d| d["inStock"] == false).await;
    assert_eq!(sold_out["skus"], json!([{ "skuId": skus[0], "stock": 0 }]));

    let (status, _) = app
        .internal_post(
            "/internal/stock/reserve",
            json!({ "orderId": "o-1", "lines": [{ "skuId": skus[0], "quantity": 1 }] }),
        )
        .await;
    assert_eq!(status, 409, "nothing left to reserve");

    app.data(
        "mutation($id: ID!) { updateProduct(input: { id: $id, name: \"Phone Y\" }) { product { id } } }",
        json!({ "id": product }),
        Some(&app.tokens.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| d["name"] == "Phone Y").await;

    // Moving the category changes the product's category path.
    let other = app.create_category("Other", None).await;
    app.data(
        "mutation($id: ID!, $p: ID) { moveCategory(input: { id: $id, parentId: $p }) { category { id } } }",
        json!({ "id": leaf, "p": other }),
        Some(&app.tokens.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| {
        d["ancestorCategoryIds"] == json!([other])
    })
    .await;

    app.data(
        "mutation($id: ID!) { archiveProduct(id: $id) { product { id } } }",
        json!({ "id": product }),
        Some(&app.tokens.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| d["status"] == "ARCHIVED").await;
}

/// A reservation's transaction does the stock statements and a mark;
/// what search needs arrives after commit as one small `stock.changed` per
/// product, and only when the product's in-stock state may have changed.
#[tokio::test]
async fn reservations_announce_a_small_coalesced_stock_change() {
    let broker = test_broker().await;
    let (_subscription, mut rx) = listen(&broker).await;
    let app = spawn_with_broker(broker.clone()).await;
    let category = app.create_category("Shoes", None).await;
    let (product, skus) = app
        .create_product(&category, "Running shoes", &[("42", 69900, 20)])
        .await;
    let (pair, pair_skus) = app
        .create_product(&category, "Socks", &[("S", 900, 1), ("M", 900, 1)])
        .await;
    change_of(&mut rx, &product, |_| true).await;
    change_of(&mut rx, &pair, |_| true).await;
    rest(&mut rx, &[], Duration::from_millis(300)).await;

    // A burst of 20 reservations of one unit each, at once: only the last
    // takes the SKU to zero, so one event, and no product document.
    let reserve = |order: String, lines: Value| {
        let app = &app;
        async move {
            let (status, body) = app
                .internal_post(
                    "/internal/stock/reserve",
                    json!({ "orderId": order, "lines": lines }),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    futures::future::join_all((0..20).map(|i| {
        reserve(
            format!("burst-{i}"),
            json!([{ "skuId": skus[0], "quantity": 1 }]),
        )
    }))
    .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    let sold_out = stock_change_of(&mut rx, &product, |_| true).await;
    assert_eq!(
        sold_out,
        json!({ "productId": product, "inStock": false,
                "skus": [{ "skuId": skus[0], "stock": 0 }] })
    );
    let after = rest(&mut rx, &[&product, &pair], Duration::from_millis(500)).await;
    assert!(
        after.is_empty(),
        "the burst announced more than one stock change: {after:?}"
    );

    // One reservation of both SKUs of a product: one event for the product.
    reserve(
        "pair".into(),
        json!([{ "skuId": pair_skus[0], "quantity": 1 },
               { "skuId": pair_skus[1], "quantity": 1 }]),
    )
    .await;
    let sold_out = stock_change_of(&mut rx, &pair, |_| true).await;
    assert_eq!(sold_out["inStock"], false);
    assert_eq!(sold_out["skus"].as_array().map(Vec::len), Some(2));
    let after = rest(&mut rx, &[&product, &pair], Duration::from_millis(500)).await;
    assert!(after.is_empty(), "more than one event: {after:?}");

    // Releasing gives the stock back: in stock again, announced once.
    let (status, _) = app
        .internal_post("/internal/stock/release", json!({ "orderId": "pair" }))
        .await;
    assert_eq!(status, 200);
    let back = stock_change_of(&mut rx, &pair, |_| true).await;
    assert_eq!(back["inStock"], true);
    // A release that leaves the stock above zero before and after (1 → 2
    // of the shoe's SKU after the first release) is not news to search.
    for order in ["burst-0", "burst-1"] {
        app.internal_post("/internal/stock/release", json!({ "orderId": order }))
            .await;
    }
    let shoe = stock_change_of(&mut rx, &product, |_| true).await;
    assert_eq!(shoe["inStock"], true);
    let after = rest(&mut rx, &[&product, &pair], Duration::from_millis(500)).await;
    assert!(
        after
            .iter()
            .all(|(topic, _)| topic != product_changed::TOPIC),
        "a stock write announced a product document: {after:?}"
    );
    assert!(
        after.is_empty(),
        "the second release (1 → 2) announced a change: {after:?}"
    );
}

#[tokio::test]
async fn order_events_count_sales_once_each() {
    let broker = test_broker().await;
    let (_subscription, mut rx) = listen(&broker).await;
    let app = spawn_with_broker(broker.clone()).await;
    let category = app.create_category("Shoes", None).await;
    let (product, skus) = app
        .create_product(&category, "Running shoes", &[("42", 69900, 10)])
        .await;
    let (other, _) = app
        .create_product(&category, "Boots", &[("42", 99900, 10)])
        .await;

    let order = |topic: &str, quantity: i64| {
        Event::new(
            topic,
            json!({ "orderId": "o-1", "status": "PAID", "items": [
                { "productId": product, "skuId": skus[0], "quantity": quantity,
                  "unitPrice": { "amount": 69900, "currency": "CNY" } }] }),
        )
    };
    let paid = order("order.paid", 3);
    broker.publish(&paid).await.expect("published");
    change_of(&mut rx, &product, |d| d["salesCount"] == 3).await;
    // The same event again (a redelivery), then a refund of one.
    broker.publish(&paid).await.expect("published");
    broker
        .publish(&order("order.refunded", 1))
        .await
        .expect("published");
    let after = change_of(&mut rx, &product, |d| d["salesCount"] != 3).await;
    assert_eq!(
        after["salesCount"], 2,
        "the repeated order.paid counted once"
    );

    let docs = app.all_documents().await;
    let sales = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .map(|d| d["salesCount"].clone())
    };
    assert_eq!(sales(&product), Some(json!(2)));
    assert_eq!(sales(&other), Some(json!(0)));
    let best = app
        .data(
            "{ products(sort: SALES, first: 1) { edges { node { id } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(best["products"]["edges"][0]["node"]["id"], product.as_str());
}
