//! Payment callbacks: signed, idempotent, and never reviving a cancelled order.

use std::time::Duration;

use orders::PaymentCallback;
use serde_json::json;

use crate::helpers::{Options, WEBHOOK_SECRET, spawn_with};

fn callback_for(payment: &serde_json::Value) -> PaymentCallback {
    PaymentCallback {
        payment_id: payment["id"].as_str().unwrap().to_owned(),
        order_id: payment["orderId"].as_str().unwrap().to_owned(),
        amount: payment["amount"]["amount"]
            .as_str()
            .and_then(|a| a.parse::<i64>().ok())
            .unwrap(),
        currency: payment["amount"]["currency"].as_str().unwrap().to_owned(),
        status: "SUCCEEDED".into(),
        provider_reference: "test-provider-1".into(),
    }
}

#[tokio::test]
async fn a_callback_sent_three_times_pays_once_and_a_forged_one_is_refused() {
    let app = spawn_with(Options {
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Book", &[("paper", 4_200, 5)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let mut watcher = app.subscribe_status(&buyer, &id).await;
    let payment = app.pay(&buyer, &id).await;
    let callback = callback_for(&payment);

    assert_eq!(
        app.callback(&callback, "not-the-secret").await,
        401,
        "forged signature"
    );
    let mut tampered = callback.clone();
    tampered.amount = 1;
    assert_eq!(
        app.callback(&tampered, WEBHOOK_SECRET).await,
        400,
        "amount mismatch"
    );
    let mut unknown = callback.clone();
    unknown.payment_id = "no-such-payment".into();
    assert_eq!(
        app.callback(&unknown, WEBHOOK_SECRET).await,
        404,
        "unknown payment"
    );
    assert_eq!(app.order(&buyer, &id).await["status"], "PENDING_PAYMENT");

    for _ in 0..3 {
        assert_eq!(app.callback(&callback, WEBHOOK_SECRET).await, 200);
    }
    assert_eq!(watcher.next_status().await["status"], "PAID");
    let order = app.order(&buyer, &id).await;
    assert_eq!(order["status"], "PAID");
    assert_eq!(order["payments"][0]["status"], "SUCCEEDED");
    assert_eq!(
        order["payments"][0]["callbacks"], 3,
        "every callback recorded"
    );
    // One order.paid only: the subscriber sees no second PAID.
    let counts = app
        .data("{ orderCounts { status count } }", json!({}), Some(&buyer))
        .await;
    let paid = counts["orderCounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "PAID")
        .cloned();
    assert_eq!(paid.unwrap()["count"], 1);

    // The same payment idempotency key returns the first payment.
    let key = "pay-key-0001";
    let first = app
        .data("mutation($id: ID!, $k: String!) { payOrder(orderId: $id, method: ALIPAY, idempotencyKey: $k) { payment { id } errors { code } } }",
            json!({ "id": id, "k": key }), Some(&buyer))
        .await;
    assert_eq!(
        first["payOrder"]["errors"][0]["code"], "ORDER_NOT_PAYABLE",
        "already paid"
    );
}

#[tokio::test]
async fn a_payment_for_a_cancelled_order_is_owed_back_and_does_not_revive_it() {
    let app = spawn_with(Options {
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (product, skus) = app.product("Bag", &[("black", 15_000, 2)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let payment = app.pay(&buyer, &id).await;
    let again = app
        .data("mutation($id: ID!, $k: String!) { payOrder(orderId: $id, method: CARD, idempotencyKey: $k) { payment { id } } }",
            json!({ "id": id, "k": "same-key-123" }), Some(&buyer))
        .await;
    let repeat = app
        .data("mutation($id: ID!, $k: String!) { payOrder(orderId: $id, method: CARD, idempotencyKey: $k) { payment { id } } }",
            json!({ "id": id, "k": "same-key-123" }), Some(&buyer))
        .await;
    assert_eq!(
        again["payOrder"]["payment"]["id"],
        repeat["payOrder"]["payment"]["id"]
    );

    app.transition(&buyer, "cancelOrder", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(
        app.callback(&callback_for(&payment), WEBHOOK_SECRET).await,
        200
    );
    // Owed back, then sent back: the sandbox provider refunds it and says
    // so in a signed callback.
    let refunded = |o: &serde_json::Value| {
        o["payments"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["id"] == payment["id"] && p["status"] == "REFUNDED")
    };
    let order = app
        .wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
            o["stockReleased"] == true && refunded(o)
        })
        .await;
    assert_eq!(order["status"], "CANCELLED");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 2);
}

#[tokio::test]
async fn the_sandbox_provider_confirms_on_its_own() {
    let app = spawn_with(Options::default()).await;
    let (_, skus) = app.product("Soap", &[("lemon", 500, 5)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    app.pay(&buyer, &id).await;
    let paid = app
        .wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
            o["status"] == "PAID"
        })
        .await;
    assert_eq!(paid["payments"][0]["callbacks"], 1);
}

#[tokio::test]
async fn a_genuine_callback_signed_outside_the_tolerance_window_is_refused() {
    let app = spawn_with(Options {
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Lamp", &[("brass", 9_900, 3)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let callback = callback_for(&app.pay(&buyer, &id).await);
    let now = platform::db::now_millis() / 1000;

    // A callback captured ten minutes ago and replayed, and one dated
    // ahead: both signed with the right secret, both refused.
    for (signed_at, when) in [(now - 600, "ten minutes ago"), (now + 600, "ahead")] {
        let (status, body) = app
            .callback_signed_at(&callback, WEBHOOK_SECRET, signed_at)
            .await;
        assert_eq!(status, 401, "signed {when}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("outside the 300 s tolerance"),
            "{when}: {error}"
        );
    }
    assert_eq!(app.order(&buyer, &id).await["status"], "PENDING_PAYMENT");

    // Within the window (a provider's clock a minute off) it pays.
    let (status, body) = app
        .callback_signed_at(&callback, WEBHOOK_SECRET, now - 60)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.order(&buyer, &id).await["status"], "PAID");
}

#[tokio::test]
async fn the_sandbox_leaves_a_payment_pending_unless_switched_on() {
    let app = spawn_with(Options {
        auto_confirm: false,
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Chair", &[("oak", 19_900, 2)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    app.pay(&buyer, &id).await;
    // Well past the sandbox's 100 ms processing delay.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let order = app.order(&buyer, &id).await;
    assert_eq!(order["status"], "PENDING_PAYMENT");
    assert_eq!(order["payments"][0]["status"], "PENDING");
}
