//! A flash sale's quota holds when its counter store loses the counters
//! (Redis flushed or restarted; the embedded process restarted): the
//! counter is rebuilt from the stored orders, not from the full quantity,
//! a placement and reconciliation's expiry never both act on one ticket,
//! and a placement whose ticket was lost fails, for its buyer to hear. Each test runs on the counter backend switched on: Redis under
//! TEST_REDIS_URL, in-process otherwise.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use platform::events::{Event, handler};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::{
    concurrency::{race, race_at, tally},
    helpers::{Options, Replica, TestApp, address, new_key, spawn_app, spawn_with},
};

/// The stored orders, counted by an administrator.
async fn stored_orders(app: &TestApp) -> usize {
    app.data(
        "{ adminOrders(first: 100) { edges { node { id } } } }",
        json!({}),
        Some(&app.tokens.admin()),
    )
    .await["adminOrders"]["edges"]
        .as_array()
        .map_or(0, Vec::len)
}

/// Waits until every admitted checkout in `replies` (buyers
/// `{prefix}-{i}`) is stored or failed, asking the replica at `base`;
/// how many were stored.
async fn settle_all(app: &TestApp, base: &str, prefix: &str, replies: &[Value]) -> usize {
    let mut placed = 0;
    for (i, reply) in replies.iter().enumerate() {
        let Some(id) = reply["placement"]["orderId"].as_str() else {
            continue;
        };
        let buyer = app.tokens.customer(&format!("{prefix}-{i}"));
        let placement = app.wait_until_placed_at(base, &buyer, id).await;
        placed += usize::from(placement["status"] == "PLACED");
    }
    placed
}

/// Makes the counter store lose everything it knew about `sale` and
/// returns a replica that starts without counters: with Redis the sale's
/// keys and tickets are deleted (only this sale's: other tests share the
/// server); in-process the counters live in the process, so a new one
/// (its own placement queue, as a restarted embedded process has) has
/// none.
async fn lose_flash_counters(app: &TestApp, sale: &str) -> Replica {
    delete_redis_counters(sale).await;
    fresh_replica(app).await
}

/// With Redis, deletes `sale`'s counters and tickets (only this sale's:
/// other tests share the server).
async fn delete_redis_counters(sale: &str) {
    if let Some(url) = platform::testing::redis_url() {
        let client = redis::Client::open(url).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let mut keys: Vec<String> = ["remaining", "held", "version", "queued"]
            .iter()
            .map(|k| format!("flash:{sale}:{k}"))
            .collect();
        let tickets: Vec<String> = redis::cmd("KEYS")
            .arg("flash:ticket:*")
            .query_async(&mut conn)
            .await
            .unwrap();
        for ticket in tickets {
            let of: Option<String> = redis::cmd("HGET")
                .arg(&ticket)
                .arg("sale")
                .query_async(&mut conn)
                .await
                .unwrap();
            if of.as_deref() == Some(sale) {
                keys.push(ticket);
            }
        }
        let _: i64 = redis::cmd("DEL")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .unwrap();
    }
}

/// A replica with its own placement queue.
async fn fresh_replica(app: &TestApp) -> Replica {
    let namespace = format!("orders-test-{}", uuid::Uuid::new_v4().simple());
    app.spawn_replica(|settings| settings.queue_namespace = namespace)
        .await
}

#[tokio::test]
async fn a_lost_flash_counter_is_rebuilt_from_the_stored_orders_not_the_full_quantity() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Headphones", &[("black", 29_900, 100)]).await;
    let sale = app.flash_sale(&skus[0], 9_900, 10, 1).await;
    let first = race(&app, &skus[0], Some(&sale), 4).await;
    assert_eq!(tally(&first).0, 4, "{first:?}");
    assert_eq!(settle_all(&app, &app.address, "racer", &first).await, 4);

    let replica = lose_flash_counters(&app, &sale).await;
    let later = race_at(&app, &replica.address, "later", &skus[0], Some(&sale), 20).await;
    let (admitted, sold_out) = tally(&later);
    assert_eq!(
        (admitted, sold_out),
        (6, 14),
        "4 sold + new admissions stay within the sale's 10: {later:?}"
    );
    let placed = settle_all(&app, &replica.address, "later", &later).await;
    assert_eq!(placed, 6);
    assert_eq!(stored_orders(&app).await, 10);
}

#[tokio::test]
async fn many_buyers_after_a_lost_flash_counter_still_buy_at_most_the_sale() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Tablet", &[("grey", 99_900, 200)]).await;
    let sale = app.flash_sale(&skus[0], 49_900, 20, 1).await;
    let first = race(&app, &skus[0], Some(&sale), 5).await;
    assert_eq!(settle_all(&app, &app.address, "racer", &first).await, 5);

    let mut replicas = vec![lose_flash_counters(&app, &sale).await];
    // Replicas share Redis's counters, so two of them race to rebuild the
    // missing one. In-process counters belong to one process: the
    // embedded platform runs a single replica.
    if platform::testing::redis_url().is_some() {
        replicas.push(fresh_replica(&app).await);
    }
    let crowds = replicas.iter().enumerate().map(|(r, replica)| {
        let prefix = format!("crowd{r}");
        let (app, sku, sale) = (&app, &skus[0], &sale);
        async move {
            let replies = race_at(app, &replica.address, &prefix, sku, Some(sale), 60).await;
            let placed = settle_all(app, &replica.address, &prefix, &replies).await;
            (tally(&replies).0, placed)
        }
    });
    let outcomes = futures::future::join_all(crowds).await;
    let admitted: usize = outcomes.iter().map(|(admitted, _)| admitted).sum();
    let placed: usize = outcomes.iter().map(|(_, placed)| placed).sum();
    assert_eq!(admitted, 15, "the 20 less the 5 sold: {outcomes:?}");
    assert_eq!(placed, 15);
    assert_eq!(stored_orders(&app).await, 20);
}

#[tokio::test]
async fn a_placement_and_an_expiry_racing_on_one_ticket_end_exactly_one_way() {
    const SALE: i64 = 80;
    // Every queued ticket is overdue at once, so reconciliation tries to
    // expire each one while its consumer is storing it.
    let app = spawn_with(Options {
        flash_queue_timeout: Duration::ZERO,
        ..Options::default()
    })
    .await;
    let (_, skus) = app.product("Speaker", &[("blue", 19_900, 300)]).await;
    let sale = app.flash_sale(&skus[0], 4_900, SALE, 1).await;
    let stop = Arc::new(AtomicBool::new(false));
    // Several rounds at once, so some expiry lands while a consumer is
    // between taking up a ticket and storing its order.
    let reconcilers: Vec<_> = (0..3)
        .map(|_| {
            let (address, admin, stop) = (app.address.clone(), app.tokens.admin(), stop.clone());
            let client = app.client.clone();
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let reply = platform::testing::post_graphql(
                        &client,
                        &address,
                        "mutation { reconcileFlashSales { saleId } }",
                        json!({}),
                        Some(&admin),
                    )
                    .await
                    .expect("a JSON response");
                    assert!(reply.get("errors").is_none(), "{reply}");
                }
            })
        })
        .collect();
    let replies = race(&app, &skus[0], Some(&sale), SALE as usize).await;
    assert_eq!(tally(&replies).0, SALE as usize, "{replies:?}");
    let placed = settle_all(&app, &app.address, "racer", &replies).await;
    stop.store(true, Ordering::SeqCst);
    for reconciler in reconcilers {
        reconciler.await.unwrap();
    }
    let stored = stored_orders(&app).await;
    assert_eq!(stored, placed, "a stored order's checkout reads PLACED");

    // Units came back exactly for the expired tickets: the sale has
    // SALE - stored left, no more (an order stored and its unit returned)
    // and no fewer (a ticket neither stored nor returned).
    let after = race_at(&app, &app.address, "after", &skus[0], Some(&sale), 90).await;
    let (admitted, _) = tally(&after);
    assert_eq!(
        (stored + admitted) as i64,
        SALE,
        "{stored} stored and {admitted} admitted after the race"
    );
}

/// The topic admitted flash-sale checkouts wait on to be stored, in the
/// deployment named `namespace` (the service's `flash::placement`).
fn admitted_topic(namespace: &str) -> String {
    format!("orders.flash_admitted.{namespace}")
}

/// A placement delivered after the counters lost its ticket (Redis
/// flushed, or an embedded process restarted while RabbitMQ kept the
/// placement) is not stored, as it could oversell: its buyer hears it
/// failed, through `orderStatusChanged` and `orderPlacement`, and the
/// sale sells no more than its quantity.
#[tokio::test]
async fn a_placement_whose_ticket_was_lost_with_the_counters_fails_and_its_buyer_hears_it() {
    let app = spawn_with(Options {
        catalog_proxy: true,
        ..Options::default()
    })
    .await;
    let (_, skus) = app
        .product("Kettle", &[("steel", 19_900, 50), ("red", 19_900, 50)])
        .await;
    let sale = app.flash_sale(&skus[0], 9_900, 3, 1).await;
    // A copy of every placement this deployment queues.
    let (tx, mut queued) = mpsc::unbounded_channel();
    let _copy = app
        .broker
        .subscribe(
            &format!("{}.test-copy", app.queue_namespace),
            &[admitted_topic(&app.queue_namespace).as_str()],
            handler(move |event| {
                let _ = tx.send(event);
                async { Ok(()) }
            }),
        )
        .await
        .unwrap();
    // A checkout refused on its lines (not the sale's SKU) leaves the
    // sale's definition in the service's cache for 2 s, so checkouts are
    // admitted with the catalog away; their placements stay queued.
    let flash_input = |sku: &str| {
        json!({ "lines": [{ "skuId": sku, "quantity": 1 }], "shippingAddress": address(),
            "idempotencyKey": new_key(), "flashSaleId": sale })
    };
    let buyer = app.tokens.customer("buyer-1");
    let refused = app.place_order(&buyer, flash_input(&skus[1])).await;
    assert_eq!(
        refused["errors"][0]["code"], "FLASH_SALE_LINES",
        "{refused}"
    );
    app.catalog_proxy.as_ref().unwrap().cut();
    let reply = app.place_order(&buyer, flash_input(&skus[0])).await;
    assert_eq!(reply["placement"]["status"], "QUEUED", "{reply}");
    let order_id = reply["placement"]["orderId"].as_str().unwrap().to_owned();
    let mut subscriber = app.subscribe_raw(&buyer, &order_id).await;
    let placement = tokio::time::timeout(Duration::from_secs(10), queued.recv())
        .await
        .expect("the placement is queued")
        .unwrap();

    // The counters lose the ticket, and the placement reaches a replica
    // (with the catalog) that starts without them: a restarted process.
    delete_redis_counters(&sale).await;
    let namespace = format!("orders-test-{}", uuid::Uuid::new_v4().simple());
    let replica = app
        .spawn_replica(|settings| {
            settings.queue_namespace = namespace.clone();
            settings.catalog_url = app.catalog.address.clone();
        })
        .await;
    app.broker
        .publish(&Event::new(admitted_topic(&namespace), placement.payload))
        .await
        .unwrap();

    let heard = subscriber.next_message().await;
    assert_eq!(heard["type"], "next", "{heard}");
    assert_eq!(
        heard["payload"]["errors"][0]["extensions"]["code"], "FLASH_ORDER_EXPIRED",
        "{heard}"
    );
    let answer = app
        .replica_data(
            &replica,
            "query($id: ID!) { orderPlacement(orderId: $id) { status order { id } error { code } } }",
            json!({ "id": order_id }),
            &buyer,
        )
        .await;
    assert_eq!(
        answer["orderPlacement"],
        json!({ "status": "FAILED", "order": null, "error": { "code": "FLASH_ORDER_EXPIRED" } })
    );
    // The sale still sells its 3 units, and no more.
    let crowd = race_at(&app, &replica.address, "crowd", &skus[0], Some(&sale), 8).await;
    assert_eq!(tally(&crowd).0, 3, "{crowd:?}");
    assert_eq!(settle_all(&app, &replica.address, "crowd", &crowd).await, 3);
    assert_eq!(stored_orders(&app).await, 3);
}
