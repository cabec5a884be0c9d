//! The lease on stock reservations, across both services: a catalog
//! replica that sweeps asks this orders service (`/internal/orders/lookup`)
//! about reservations past their grace period and releases those whose
//! order was never stored. The stranded reservations here are made the way
//! a checkout that died after reserving leaves them: through the catalog's
//! internal reserve, with no order stored.

use std::time::Duration;

use futures::future::join_all;
use platform::{internal::INTERNAL_TOKEN_HEADER, testing::poll_until};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A catalog replica on the test catalog's database that sweeps every
/// 50 ms with `grace`, asking the orders service at `orders_url`.
async fn sweeping_catalog(app: &TestApp, grace: Duration, orders_url: &str) -> String {
    let mut settings = app.catalog.settings.clone();
    settings.listen_addr = "127.0.0.1:0".parse().expect("an address");
    settings.orders_url = orders_url.to_owned();
    settings.reservation_grace = grace;
    settings.reservation_sweep_interval = Duration::from_millis(50);
    let replica = catalog::App::build(settings)
        .await
        .expect("the sweeping catalog builds");
    let address = format!("http://127.0.0.1:{}", replica.port());
    tokio::spawn(replica.run_until_stopped(std::future::pending()));
    address
}

/// Reserves `quantity` of `sku` for `order_id` in the catalog, storing no
/// order.
async fn strand(app: &TestApp, order_id: &str, sku: &str, quantity: i64) {
    let response = app
        .client
        .post(format!("{}/internal/stock/reserve", app.catalog.address))
        .header(INTERNAL_TOKEN_HEADER, &app.catalog.internal_token)
        .json(&json!({ "orderId": order_id, "lines": [{ "skuId": sku, "quantity": quantity }] }))
        .send()
        .await
        .expect("the reservation is sent");
    assert_eq!(response.status().as_u16(), 200);
}

/// A SKU's stock, read through a product listing: listings are not cached,
/// so a release by another catalog replica shows at once even with each
/// replica's cache in-process (product detail, which `stock_of` reads, is
/// cached per replica without Redis).
async fn stock(app: &TestApp, sku: &str) -> i64 {
    let data = app
        .catalog_data(
            "{ products(first: 100) { edges { node { skus(includeArchived: true) { id stock } } } } }",
            json!({}),
            None,
        )
        .await;
    data["products"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|edge| edge["node"]["skus"].as_array().into_iter().flatten())
        .find(|s| s["id"] == sku)
        .and_then(|s| s["stock"].as_i64())
        .unwrap_or_else(|| panic!("SKU {sku} in {data}"))
}

/// Waits until `sku`'s stock is `expected`; the stock then.
async fn wait_for_stock(app: &TestApp, sku: &str, expected: i64) -> i64 {
    poll_until(
        Duration::from_secs(30),
        Duration::from_millis(50),
        || stock(app, sku),
        |now| *now == expected,
    )
    .await
    .unwrap_or_else(|now| now)
}

/// The sample `series` of a catalog's `/metrics`, 0 when absent.
async fn metric(app: &TestApp, catalog: &str, series: &str) -> f64 {
    let text = app
        .client
        .get(format!("{catalog}/metrics"))
        .send()
        .await
        .expect("the scrape is sent")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().expect("a number"))
}

fn rounds(outcome: &str) -> String {
    format!("catalog_reservation_sweeps_total{{outcome=\"{outcome}\"}}")
}

fn swept(outcome: &str) -> String {
    format!("catalog_reservations_swept_total{{outcome=\"{outcome}\"}}")
}

/// Waits until `catalog` finished `count` more sweep rounds ending in
/// `outcome` than it had when called.
async fn wait_for_rounds(app: &TestApp, catalog: &str, outcome: &str, count: f64) {
    let series = rounds(outcome);
    let start = metric(app, catalog, &series).await;
    let waited = poll_until(
        Duration::from_secs(20),
        Duration::from_millis(25),
        || metric(app, catalog, &series),
        |now| *now >= start + count,
    )
    .await;
    if let Err(now) = waited {
        panic!("{series} went from {start} to {now}, not {count} more");
    }
}

#[tokio::test]
async fn an_old_reservation_is_released_when_no_order_holds_it_and_kept_when_one_does() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Kettle", &[("steel", 5000, 10)]).await;
    let buyer = app.tokens.customer("buyer-lease-1");
    let order = app.order_of(&buyer, &[(&skus[0], 2)]).await;
    strand(&app, "checkout-that-died", &skus[0], 3).await;
    assert_eq!(stock(&app, &skus[0]).await, 5);

    let sweeper = sweeping_catalog(&app, Duration::ZERO, &app.address).await;
    assert_eq!(
        wait_for_stock(&app, &skus[0], 8).await,
        8,
        "the stranded 3 came back"
    );
    // Later rounds keep the stored order's 2 (and give nothing back twice).
    wait_for_rounds(&app, &sweeper, "done", 3.0).await;
    assert_eq!(stock(&app, &skus[0]).await, 8);
    assert_eq!(metric(&app, &sweeper, &swept("released")).await, 1.0);
    assert!(metric(&app, &sweeper, &swept("kept")).await >= 3.0);
    // The kept reservation is the order's, and still held: cancelling the
    // order gives its stock back.
    let cancelled = app
        .transition(
            &buyer,
            "cancelOrder",
            "orderId: $id",
            json!({ "id": order["id"] }),
        )
        .await;
    assert_eq!(cancelled["order"]["status"], "CANCELLED", "{cancelled}");
    assert_eq!(wait_for_stock(&app, &skus[0], 10).await, 10);
}

#[tokio::test]
async fn a_reservation_younger_than_the_grace_is_kept() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Teapot", &[("clay", 9000, 10)]).await;
    strand(&app, "checkout-in-flight", &skus[0], 4).await;

    let sweeper = sweeping_catalog(&app, Duration::from_secs(3600), &app.address).await;
    wait_for_rounds(&app, &sweeper, "done", 3.0).await;
    assert_eq!(stock(&app, &skus[0]).await, 6);
    assert_eq!(metric(&app, &sweeper, &swept("released")).await, 0.0);
}

#[tokio::test]
async fn with_the_orders_service_unreachable_or_refusing_nothing_is_released() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Mug", &[("white", 1500, 10)]).await;
    strand(&app, "checkout-that-died", &skus[0], 4).await;

    // A port nobody listens on.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let unreachable = sweeping_catalog(&app, Duration::ZERO, &closed).await;
    wait_for_rounds(&app, &unreachable, "orders_unreachable", 3.0).await;
    // A sweeper whose token the orders service refuses (401) is in doubt
    // just the same.
    let mut refused = app.catalog.settings.clone();
    refused.internal_token = "not-the-shared-token".into();
    refused.listen_addr = "127.0.0.1:0".parse().expect("an address");
    refused.orders_url = app.address.clone();
    refused.reservation_grace = Duration::ZERO;
    refused.reservation_sweep_interval = Duration::from_millis(50);
    let refused_app = catalog::App::build(refused).await.expect("it builds");
    let refused = format!("http://127.0.0.1:{}", refused_app.port());
    tokio::spawn(refused_app.run_until_stopped(std::future::pending()));
    wait_for_rounds(&app, &refused, "orders_unreachable", 3.0).await;

    assert_eq!(stock(&app, &skus[0]).await, 6);
    for sweeper in [&unreachable, &refused] {
        assert_eq!(metric(&app, sweeper, &rounds("done")).await, 0.0);
        assert_eq!(metric(&app, sweeper, &swept("released")).await, 0.0);
    }
}

#[tokio::test]
async fn two_sweepers_at_once_give_each_reservation_back_once() {
    let app = spawn_app().await;
    let (_, skus) = app
        .product("Chopsticks", &[("bamboo", 300, 100), ("ebony", 900, 100)])
        .await;
    join_all((0..40).map(|i| {
        let app = &app;
        let sku = skus[i % 2].clone();
        async move { strand(app, &format!("died-{i}"), &sku, 2).await }
    }))
    .await;
    assert_eq!(stock(&app, &skus[0]).await, 60);

    let sweepers =
        join_all((0..2).map(|_| sweeping_catalog(&app, Duration::ZERO, &app.address))).await;
    for sku in &skus {
        assert_eq!(wait_for_stock(&app, sku, 100).await, 100, "SKU {sku}");
    }
    for sweeper in &sweepers {
        wait_for_rounds(&app, sweeper, "done", 2.0).await;
    }
    // Exactly once: not one unit more came back, and the two sweepers'
    // releases add up to one per reservation.
    for sku in &skus {
        assert_eq!(stock(&app, sku).await, 100, "SKU {sku}");
    }
    let mut released = 0.0;
    for sweeper in &sweepers {
        released += metric(&app, sweeper, &swept("released")).await;
    }
    assert_eq!(released, 40.0);
}

#[tokio::test]
async fn the_order_lookup_needs_the_token_and_tells_which_orders_hold_stock() {
    let app = spawn_app().await;
    let (_, skus) = app.product("Lamp", &[("desk", 8000, 10)]).await;
    let buyer = app.tokens.customer("buyer-lease-2");
    let held = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    let cancelled = app.order_of(&buyer, &[(&skus[0], 1)]).await;
    app.transition(
        &buyer,
        "cancelOrder",
        "orderId: $id",
        json!({ "id": cancelled["id"] }),
    )
    .await;
    let lookup = |token: &str, ids: Value| {
        app.client
            .post(format!("{}/internal/orders/lookup", app.address))
            .header(INTERNAL_TOKEN_HEADER, token)
            .json(&json!({ "orderIds": ids }))
            .send()
    };

    let response = lookup(
        &app.catalog.internal_token,
        json!([held["id"], cancelled["id"], "no-such-order"]),
    )
    .await
    .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("JSON");
    let mut orders = body["orders"].as_array().cloned().unwrap_or_default();
    orders.sort_by_key(|o| o["holdsStock"] != true);
    assert_eq!(
        orders,
        [
            json!({ "orderId": held["id"], "holdsStock": true }),
            json!({ "orderId": cancelled["id"], "holdsStock": false }),
        ],
        "{body}"
    );

    let refused = lookup("wrong", json!([held["id"]])).await.expect("sent");
    assert_eq!(refused.status().as_u16(), 401);
    let too_many: Vec<String> = (0..501).map(|i| format!("o-{i}")).collect();
    let refused = lookup(&app.catalog.internal_token, json!(too_many))
        .await
        .expect("sent");
    assert_eq!(refused.status().as_u16(), 400);
}
