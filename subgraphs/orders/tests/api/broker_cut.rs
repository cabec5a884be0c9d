//! Cutting the connection to RabbitMQ (through a TCP proxy this test
//! starts) in the middle of a burst of orders loses no event: the orders
//! commit, the outbox keeps their events, the relay delivers them when the
//! broker is back.

use std::{collections::HashSet, time::Duration};

use futures::future::join_all;
use platform::events::{handler, proxy::TcpProxy};
use tokio::sync::mpsc;

use crate::helpers::{Options, spawn_with, through_proxy};

#[tokio::test]
async fn cutting_rabbitmq_mid_burst_loses_no_order_event() {
    let Some(amqp) = platform::testing::amqp_url() else {
        return; // Embedded: the in-process broker has no connection to cut.
    };
    let (_, upstream) = through_proxy(&amqp, "127.0.0.1:1".parse().unwrap());
    let proxy = TcpProxy::start(upstream).await.unwrap();
    let (proxied, _) = through_proxy(&amqp, proxy.addr());
    let app = spawn_with(Options {
        amqp_url: Some(proxied),
        ..Options::default()
    })
    .await;
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
            let token = app.customer(&format!("burst-{wave}-{i}"));
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
