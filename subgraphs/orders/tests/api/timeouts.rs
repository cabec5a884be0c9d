//! Unpaid orders are cancelled by the delayed timeout message, and their
//! stock comes back exactly once, even when the message arrives twice.

use std::time::Duration;

use platform::{db::now_millis, events::Event};
use serde_json::json;

use crate::helpers::{Options, spawn_with};

#[tokio::test]
async fn an_unpaid_order_is_cancelled_after_the_timeout_and_its_stock_returns_once() {
    let app = spawn_with(Options {
        payment_timeout: Duration::from_millis(1500),
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (product, skus) = app.product("Clock", &[("wall", 7_000, 10)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let unpaid = app.order_of(&buyer, &[(&skus[0], 3)]).await;
    let paid = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    let unpaid_id = unpaid["id"].as_str().unwrap().to_owned();
    let paid_id = paid["id"].as_str().unwrap().to_owned();
    let mut watcher = app.subscribe_status(&buyer, &unpaid_id).await;
    let payment = app.pay(&buyer, &paid_id).await;
    app.callback(
        &orders::PaymentCallback {
            payment_id: payment["id"].as_str().unwrap().to_owned(),
            order_id: paid_id.clone(),
            amount: payment["amount"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<i64>().ok())
                .unwrap(),
            currency: "CNY".into(),
            status: "SUCCEEDED".into(),
            provider_reference: "ref".into(),
        },
        crate::helpers::WEBHOOK_SECRET,
    )
    .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);

    let change = watcher.next_status().await;
    assert_eq!(change["status"], "CANCELLED");
    let order = app
        .wait_for_order(&buyer, &unpaid_id, Duration::from_secs(20), |o| {
            o["stockReleased"] == true
        })
        .await;
    assert_eq!(order["cancelReason"], "PAYMENT_TIMEOUT");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 8);

    // The timeout delivered again, as the same message and as a new one,
    // for the cancelled order and for the paid one: nothing changes.
    let duplicate = Event::new("order.payment_timeout", json!({ "orderId": unpaid_id }));
    app.broker.publish(&duplicate).await.unwrap();
    app.broker.publish(&duplicate).await.unwrap();
    app.broker
        .publish(&Event::new(
            "order.payment_timeout",
            json!({ "orderId": unpaid_id }),
        ))
        .await
        .unwrap();
    app.broker
        .publish(&Event::new(
            "order.payment_timeout",
            json!({ "orderId": paid_id }),
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        8,
        "released exactly once"
    );
    assert_eq!(
        app.order(&buyer, &paid_id).await["status"],
        "PAID",
        "a paid order stays paid"
    );
    assert_eq!(app.order(&buyer, &unpaid_id).await["status"], "CANCELLED");
}

#[tokio::test]
async fn a_timeout_delivered_twice_at_once_cancels_once() {
    let app = spawn_with(Options {
        payment_timeout: Duration::from_secs(3600),
        ..Options::default()
    })
    .await;
    let (product, skus) = app.product("Vase", &[("blue", 2_000, 4)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 4)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let mut watcher = app.subscribe_status(&buyer, &id).await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    // Due now, so that the messages sent by hand stand for its own.
    set_deadline(&app, &id, now_millis() - 1).await;
    let timeout = Event::new("order.payment_timeout", json!({ "orderId": id }));
    let other = Event::new("order.payment_timeout", json!({ "orderId": id }));
    let (a, b, c) = tokio::join!(
        app.broker.publish(&timeout),
        app.broker.publish(&timeout),
        app.broker.publish(&other)
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    assert_eq!(watcher.next_status().await["status"], "CANCELLED");
    app.wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
        o["stockReleased"] == true
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 4);
    // No second transition reached the subscriber.
    let extra = tokio::time::timeout(Duration::from_millis(500), watcher.next_message()).await;
    assert!(extra.is_err(), "a second status change: {extra:?}");
}

/// Moves order `id`'s stored payment deadline to `deadline` (epoch ms), as
/// if its time had passed while its timeout message was lost.
async fn set_deadline(app: &crate::helpers::TestApp, id: &str, deadline: i64) {
    let db = platform::db::Db::connect(&app.settings.database_url)
        .await
        .expect("the orders database");
    sqlx::query("UPDATE customer_order SET payment_deadline = $1 WHERE order_id = $2")
        .bind(deadline)
        .bind(id)
        .execute(db.pool())
        .await
        .expect("the deadline moves");
}

#[tokio::test]
async fn the_sweep_cancels_by_each_orders_own_deadline_not_todays_timeout() {
    // Both orders are placed under an hour's timeout. A replica that starts
    // with a 200 ms timeout and a quick sweep stands for a restart with a
    // shorter ORDER_PAYMENT_TIMEOUT.
    let app = spawn_with(Options {
        payment_timeout: Duration::from_secs(3600),
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (product, skus) = app.product("Desk", &[("pine", 50_000, 4)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let lost = app.order_of(&buyer, &[(&skus[0], 3)]).await;
    let lost_id = lost["id"].as_str().unwrap().to_owned();
    let young = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let young_id = young["id"].as_str().unwrap().to_owned();
    // The first order's hour is over and its message was lost (as the
    // in-process broker's delayed messages are, with the process).
    set_deadline(&app, &lost_id, now_millis() - 1).await;
    let mut watcher = app.subscribe_status(&buyer, &lost_id).await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);
    let replica = app
        .spawn_replica(|s| {
            s.payment_timeout = Duration::from_millis(200);
            s.sweep_interval = Duration::from_millis(100);
            s.sweep_grace = Duration::ZERO;
        })
        .await;
    // The replica's transition reaches the first instance's subscriber.
    assert_eq!(watcher.next_status().await["status"], "CANCELLED");
    let order = app
        .wait_for_order(&buyer, &lost_id, Duration::from_secs(20), |o| {
            o["stockReleased"] == true
        })
        .await;
    assert_eq!(order["cancelReason"], "PAYMENT_TIMEOUT");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 3);
    // Many sweeps later, the order placed under the hour's timeout waits.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen = app
        .replica_data(
            &replica,
            "query($id: ID!) { order(id: $id) { status } }",
            json!({ "id": young_id }),
            &buyer,
        )
        .await;
    assert_eq!(seen["order"]["status"], "PENDING_PAYMENT");
}
