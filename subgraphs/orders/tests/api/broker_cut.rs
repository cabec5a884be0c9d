//! Cutting the connection to RabbitMQ (through a TCP proxy this test
//! starts) in the middle of a burst of orders loses no event: the orders
//! commit, the outbox keeps their events, the relay delivers them when the
//! broker is back.

use std::{collections::HashSet, time::Duration};

use futures::future::join_all;
use platform::{
    events::{handler, proxy::TcpProxy},
    testing::{Proxied, proxied},
};
use tokio::sync::mpsc;

use serde_json::json;

use crate::helpers::{Options, TestApp, address, new_key, spawn_with};

/// The app, talking to RabbitMQ through a proxy the test can cut (the
/// tests that use it are RabbitMQ only: the embedded broker has no
/// connection to cut).
async fn spawn_behind_a_broker_proxy() -> (TestApp, TcpProxy) {
    let amqp = platform::testing::required_amqp_url();
    let Proxied { url, proxy } = proxied(&amqp).await.unwrap();
    let app = spawn_with(Options {
        amqp_url: Some(url),
        ..Options::default()
    })
    .await;
    (app, proxy)
}

#[tokio::test]
#[cfg_attr(not(backend_rabbitmq), ignore = "TEST_AMQP_URL is not set")]
async fn cutting_rabbitmq_mid_burst_loses_no_order_event() {
    let (app, proxy) = spawn_behind_a_broker_proxy().await;
    let (_, skus) = app.product("Burst", &[("x", 100, 1_000)]).await;

    // A consumer on the real RabbitMQ (not through the proxy).
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _watch = app
        .broker
        .subscribe(
            &format!("{}.test-watch", app.queue_namespace),
            &["order.created"],
            handler(move |event| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(
                        event.payload["orderId"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                    Ok(())
                }
            }),
        )
        .await
        .unwrap();

    let mut placed = HashSet::new();
    for wave in 0..3 {
        if wave == 1 {
            proxy.cut();
        }
        let orders = join_all((0..10).map(|i| {
            let token = app.tokens.customer(&format!("burst-{wave}-{i}"));
            let sku = skus[0].clone();
            let app = &app;
            async move { app.order_of(&token, &[(&sku, 1)]).await }
        }))
        .await;
        for order in orders {
            placed.insert(order["id"].as_str().unwrap().to_owned());
        }
        if wave == 1 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            proxy.restore();
        }
    }
    assert_eq!(placed.len(), 30, "every order committed, broker or not");
    let mut seen = HashSet::new();
    while !placed.is_subset(&seen) {
        let id = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{} of 30 order.created events arrived",
                    placed.intersection(&seen).count()
                )
            })
            .unwrap();
        seen.insert(id);
    }
}

#[tokio::test]
#[cfg_attr(not(backend_rabbitmq), ignore = "TEST_AMQP_URL is not set")]
async fn flash_sales_go_on_while_rabbitmq_is_cut() {
    let (app, proxy) = spawn_behind_a_broker_proxy().await;
    let (product, skus) = app.product("Wok", &[("iron", 9_900, 10)]).await;
    let sale = app.flash_sale(&skus[0], 4_900, 10, 1).await;
    proxy.cut();
    let reply = app
        .place_order(
            &app.tokens.customer("buyer-1"),
            json!({ "lines": [{ "skuId": skus[0], "quantity": 1 }], "shippingAddress": address(),
                "idempotencyKey": new_key(), "flashSaleId": sale }),
        )
        .await;
    assert_eq!(reply["errors"], json!([]), "{reply}");
    assert_eq!(
        reply["placement"]["status"], "PLACED",
        "no queue to put it on: stored in the request"
    );
    assert_eq!(reply["order"]["status"], "PENDING_PAYMENT");
    assert_eq!(reply["order"]["items"][0]["unitPrice"]["amount"], "4900");
    assert_eq!(app.stock_of(&product, &skus[0]).await, 9);
    proxy.restore();
}
