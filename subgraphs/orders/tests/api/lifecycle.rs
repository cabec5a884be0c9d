//! The order state machine end to end, watched by a WebSocket subscriber.

use std::time::Duration;

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_subscriber_sees_every_transition_of_a_full_life_cycle() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Kettle", &[("steel", 12_000, 5)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let admin = app.tokens.admin();
    let order = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let mut watcher = app.subscribe_raw(&buyer, &id).await;
    let first = watcher.next_status().await;
    assert_eq!(
        first["status"], "PENDING_PAYMENT",
        "the status at subscription first"
    );
    assert_eq!(first["previousStatus"], serde_json::Value::Null);
    let mut admin_watcher = app.subscribe_status(&admin, &id).await;

    let payment = app.pay(&buyer, &id).await;
    assert_eq!(payment["status"], "PENDING");
    assert_eq!(payment["amount"]["amount"], "12000");
    let paid = watcher.next_status().await;
    assert_eq!(
        (paid["previousStatus"].as_str(), paid["status"].as_str()),
        (Some("PENDING_PAYMENT"), Some("PAID"))
    );
    assert_eq!(paid["orderId"], id.as_str());

    let refused = app
        .graphql("mutation($id: ID!) { shipOrder(orderId: $id, trackingNumber: \"SF1\") { order { id } } }",
            json!({ "id": id }), Some(&buyer))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let shipped = app
        .transition(
            &admin,
            "shipOrder",
            "orderId: $id, trackingNumber: \"SF123456\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(shipped["order"]["status"], "SHIPPED", "{shipped}");
    assert_eq!(watcher.next_status().await["status"], "SHIPPED");

    let cancel = app
        .transition(&buyer, "cancelOrder", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(
        cancel["errors"][0]["code"], "ILLEGAL_TRANSITION",
        "{cancel}"
    );

    let delivered = app
        .transition(&admin, "markDelivered", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(delivered["order"]["status"], "DELIVERED");
    assert_eq!(watcher.next_status().await["status"], "DELIVERED");
    let done = app
        .transition(
            &buyer,
            "confirmReceipt",
            "orderId: $id",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(done["order"]["status"], "COMPLETED");
    assert_eq!(watcher.next_status().await["status"], "COMPLETED");
    for expected in ["PAID", "SHIPPED", "DELIVERED", "COMPLETED"] {
        assert_eq!(admin_watcher.next_status().await["status"], expected);
    }
    let order = app.order(&buyer, &id).await;
    assert_eq!(order["trackingNumber"], "SF123456");
    assert_eq!(order["payments"][0]["status"], "SUCCEEDED");
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        4,
        "sold, not released"
    );

    // The catalog counted the sale from the order.paid event.
    app.wait_for_sales_count(&product, 1).await;
    let sales = app
        .data("query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { salesCount } } }",
            json!({ "r": [{ "__typename": "Product", "id": product }] }), None)
        .await;
    assert_eq!(sales["_entities"][0]["salesCount"], 1);
}

#[tokio::test]
async fn refunds_release_the_stock_once_and_rejections_restore_the_order() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Fan", &[("white", 9_900, 6)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let admin = app.tokens.admin();
    let order = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    let mut watcher = app.subscribe_status(&buyer, &id).await;
    app.pay(&buyer, &id).await;
    assert_eq!(watcher.next_status().await["status"], "PAID");
    app.wait_for_sales_count(&product, 2).await;

    let asked = app
        .transition(
            &buyer,
            "requestRefund",
            "orderId: $id, reason: \"too loud\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(asked["order"]["status"], "REFUND_REQUESTED");
    let rejected = app
        .transition(&admin, "rejectRefund", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(rejected["order"]["status"], "PAID", "back to where it was");
    app.transition(&buyer, "requestRefund", "orderId: $id", json!({ "id": id }))
        .await;
    let refunded = app
        .transition(&admin, "approveRefund", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(refunded["order"]["status"], "REFUNDED");
    // The money goes back through the provider, whose signed callback
    // settles the payment.
    app.wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
        o["payments"][0]["status"] == "REFUNDED"
    })
    .await;
    let again = app
        .transition(&admin, "approveRefund", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(again["errors"][0]["code"], "ILLEGAL_TRANSITION");
    for expected in ["REFUND_REQUESTED", "PAID", "REFUND_REQUESTED", "REFUNDED"] {
        assert_eq!(watcher.next_status().await["status"], expected);
    }
    app.wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
        o["stockReleased"] == true
    })
    .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 6);
    app.wait_for_sales_count(&product, 0).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        6,
        "released exactly once"
    );
}

#[tokio::test]
async fn a_buyer_cancels_an_unpaid_order_and_only_buyers_and_admins_may_watch() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Chair", &[("oak", 30_000, 3)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let order = app.order_of(&buyer, &[(&skus[0], 3)]).await;
    let id = order["id"].as_str().unwrap().to_owned();
    assert_eq!(app.stock_of(&product, &skus[0]).await, 0);

    let mut stranger = app
        .subscribe_raw(&app.tokens.customer("stranger"), &id)
        .await;
    let refusal = stranger.next_message().await;
    assert_eq!(
        refusal["payload"]["data"],
        serde_json::Value::Null,
        "{refusal}"
    );
    assert_eq!(
        refusal["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refusal}"
    );

    let mut watcher = app.subscribe_status(&buyer, &id).await;
    let cancelled = app
        .transition(&buyer, "cancelOrder", "orderId: $id", json!({ "id": id }))
        .await;
    assert_eq!(cancelled["order"]["status"], "CANCELLED");
    let change = watcher.next_status().await;
    assert_eq!(
        (change["previousStatus"].as_str(), change["status"].as_str()),
        (Some("PENDING_PAYMENT"), Some("CANCELLED"))
    );
    let order = app
        .wait_for_order(&buyer, &id, Duration::from_secs(20), |o| {
            o["stockReleased"] == true
        })
        .await;
    assert_eq!(order["cancelReason"], "BY_BUYER");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 3);
    let pay = app
        .data("mutation($id: ID!) { payOrder(orderId: $id, method: CARD, idempotencyKey: \"late-payment-1\") { payment { id } errors { code } } }",
            json!({ "id": id }), Some(&buyer))
        .await;
    assert_eq!(pay["payOrder"]["errors"][0]["code"], "ORDER_NOT_PAYABLE");
}

#[tokio::test]
async fn a_refunded_shipped_order_puts_its_units_back_on_sale_only_when_returned() {
    let app = spawn_app().await;
    let (product, skus) = app.product("Heater", &[("oil", 39_900, 5)]).await;
    let buyer = app.tokens.customer("buyer-1");
    let admin = app.tokens.admin();
    let shipped = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    let shipped_id = shipped["id"].as_str().unwrap().to_owned();
    let unshipped = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let unshipped_id = unshipped["id"].as_str().unwrap().to_owned();
    for id in [&shipped_id, &unshipped_id] {
        app.pay(&buyer, id).await;
        app.wait_for_order(&buyer, id, Duration::from_secs(20), |o| {
            o["status"] == "PAID"
        })
        .await;
    }
    app.transition(
        &admin,
        "shipOrder",
        "orderId: $id, trackingNumber: \"SF9\"",
        json!({ "id": shipped_id }),
    )
    .await;
    for id in [&shipped_id, &unshipped_id] {
        app.transition(&buyer, "requestRefund", "orderId: $id", json!({ "id": id }))
            .await;
        let refunded = app
            .transition(&admin, "approveRefund", "orderId: $id", json!({ "id": id }))
            .await;
        assert_eq!(refunded["order"]["status"], "REFUNDED", "{refunded}");
    }
    // Both are refunded through the provider; only the unshipped order's
    // unit is back on sale.
    for id in [&shipped_id, &unshipped_id] {
        app.wait_for_order(&buyer, id, Duration::from_secs(20), |o| {
            o["payments"][0]["status"] == "REFUNDED"
        })
        .await;
    }
    app.wait_for_order(&buyer, &unshipped_id, Duration::from_secs(20), |o| {
        o["stockReleased"] == true
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.order(&buyer, &shipped_id).await["stockReleased"], false);
    assert_eq!(
        app.stock_of(&product, &skus[0]).await,
        3,
        "the two shipped units are with the buyer"
    );

    let not_shipped = app
        .transition(
            &admin,
            "receiveReturn",
            "orderId: $id",
            json!({ "id": unshipped_id }),
        )
        .await;
    assert_eq!(
        not_shipped["errors"][0]["code"], "ILLEGAL_TRANSITION",
        "{not_shipped}"
    );
    let by_buyer = app
        .graphql(
            "mutation($id: ID!) { receiveReturn(orderId: $id) { order { id } } }",
            json!({ "id": shipped_id }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        by_buyer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{by_buyer}"
    );
    let returned = app
        .transition(
            &admin,
            "receiveReturn",
            "orderId: $id",
            json!({ "id": shipped_id }),
        )
        .await;
    assert_eq!(returned["order"]["status"], "RETURNED", "{returned}");
    app.wait_for_order(&buyer, &shipped_id, Duration::from_secs(20), |o| {
        o["stockReleased"] == true
    })
    .await;
    assert_eq!(app.stock_of(&product, &skus[0]).await, 5);
}
