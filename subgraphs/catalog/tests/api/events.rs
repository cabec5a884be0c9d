//! Events: writes announce `product.changed` through the outbox; order
//! events drive sales counts, once each.

use std::{sync::Arc, time::Duration};

use platform::events::{Broker, Event, handler};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::helpers::{spawn_with_broker, test_broker};

/// Waits for a `product.changed` of `product_id` that satisfies `wanted`.
async fn change_of(
    rx: &mut mpsc::UnboundedReceiver<Value>,
    product_id: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let next = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no matching product.changed for {product_id}"))
            .expect("the test queue is open");
        if next["id"] == product_id && wanted(&next) {
            return next;
        }
    }
}

async fn listen(
    broker: &Arc<dyn Broker>,
) -> (
    platform::events::Subscription,
    mpsc::UnboundedReceiver<Value>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let subscription = broker
        .subscribe(
            &format!("catalog-test-listener-{}", uuid::Uuid::new_v4().simple()),
            &[contracts::events::product_changed::TOPIC],
            handler(move |event: Event| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(event.payload);
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
    app.data(adjust, json!({ "sku": skus[0] }), Some(&app.admin()))
        .await;
    change_of(&mut rx, &product, |d| d["inStock"] == false).await;

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
        Some(&app.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| d["name"] == "Phone Y").await;

    // Moving the category changes the product's category path.
    let other = app.create_category("Other", None).await;
    app.data(
        "mutation($id: ID!, $p: ID) { moveCategory(input: { id: $id, parentId: $p }) { category { id } } }",
        json!({ "id": leaf, "p": other }),
        Some(&app.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| {
        d["ancestorCategoryIds"] == json!([other])
    })
    .await;

    app.data(
        "mutation($id: ID!) { archiveProduct(id: $id) { product { id } } }",
        json!({ "id": product }),
        Some(&app.admin()),
    )
    .await;
    change_of(&mut rx, &product, |d| d["status"] == "ARCHIVED").await;
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
