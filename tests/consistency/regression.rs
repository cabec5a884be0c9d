//! Histories the suite caught, kept as focused tests. Each replays the
//! steps of a checkout that went wrong in a full run, through the
//! catalog's internal stock API (what the orders service calls) or the
//! orders service's own, and checks the same invariants on what is left.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::{
    backends::Wanted,
    invariants,
    shop::{RESERVATION_GRACE_SECS, Shop},
    subscribers::{Follow, Subscribers},
};

async fn small_shop() -> Shop {
    let mut shop = Shop::open(Wanted::switched_on()).await;
    shop.stock_skus("Regression", &[10]).await;
    shop
}

fn reserve_body(shop: &Shop, order_id: &str, quantity: i64) -> serde_json::Value {
    json!({ "orderId": order_id, "lines": [{ "skuId": shop.skus[0].id, "quantity": quantity }] })
}

/// A checkout reserved its stock and was never stored, and its buyer never
/// came back. The histories on main (before issue 11's reservation lease):
/// embedded, `buyer-78 (Abandon), 2 x SKU …: 2.610s placeOrder #1: failed
/// transport` with the orders process SIGKILLed at 2.610s, between its
/// reserve and its store; and in the PostgreSQL scenario: `buyer-43 (Abandon), 1 x SKU …: 3.834s placeOrder
/// #1: failed INTERNAL` during a cut of PostgreSQL (the order's store
/// failed, and so did the release, the catalog's database being cut too).
/// The reservation held the stock forever: "no RESERVED reservation without
/// a stored order" and "stock is conserved" (stock lost) on its SKU failed
/// once the quiet period was over.
#[tokio::test]
async fn a_reservation_whose_checkout_died_before_storing_is_released() {
    let shop = small_shop().await;
    let order_id = uuid::Uuid::new_v4().to_string();
    let (status, reply) = shop
        .catalog_internal("stock/reserve", reserve_body(&shop, &order_id, 3))
        .await;
    assert_eq!(status, 200, "{reply}");
    // Past the lease and a sweep round or two, nothing may be left.
    let violations = settle(&shop, RESERVATION_GRACE_SECS + 6, Vec::new).await;
    assert!(
        violations.is_empty(),
        "{}",
        invariants::report(&violations, &[])
    );
}

/// A checkout whose store failed released its stock; the buyer's retry
/// (same idempotency key, so the same order id) reserved again. On main the
/// catalog answered that repeat with the released lines without taking
/// the stock: the order was stored holding nothing, and the SKU oversold.
#[tokio::test]
async fn a_repeat_reserve_after_a_release_takes_the_stock_again() {
    let shop = small_shop().await;
    let order_id = uuid::Uuid::new_v4().to_string();
    for (path, body) in [
        ("stock/reserve", reserve_body(&shop, &order_id, 4)),
        ("stock/release", json!({ "orderId": order_id })),
        ("stock/reserve", reserve_body(&shop, &order_id, 4)),
    ] {
        let (status, reply) = shop.catalog_internal(path, body).await;
        assert_eq!(status, 200, "{path}: {reply}");
    }
    let stock = invariants::stock_in_database(&shop, &shop.skus[0].id).await;
    assert_eq!(
        stock, 6,
        "after reserve, release and reserve again of 4 units, 10 - 4 must be on the shelf"
    );
}

/// A subscriber that subscribed while its order was being cancelled heard
/// the cancellation twice: the subscription's first message, read after
/// the cancel committed, said CANCELLED, and the cancel's fan-out
/// announcement, published after the commit and after the subscription
/// began, said PENDING_PAYMENT -> CANCELLED again. The history on main
/// (embedded, seed 17857032427129075853; three subscribers of 62 in that
/// run): `buyer-192 heard of order 05a47857…: 2.148s first message:
/// CANCELLED; 2.192s PENDING_PAYMENT -> CANCELLED`, its buyer's `2.111s
/// placeOrder #4: ok …; 2.154s cancelOrder #1: ok`. Here many orders are
/// cancelled just as their subscribers subscribe, so that some
/// subscriptions begin between a cancel's commit and its announcement.
#[tokio::test]
async fn a_subscriber_hears_a_change_made_while_it_subscribes_once() {
    const ORDERS: usize = 40;
    let mut shop = Shop::open(Wanted::switched_on()).await;
    shop.stock_skus("Regression", &[ORDERS as i64]).await;
    let subscribers = Subscribers::new(Instant::now());
    let admin = shop.tokens.token("consistency-admin", "customer admin");
    let cancels = (0..ORDERS).map(|i| {
        let (shop, subscribers, admin) = (&shop, &subscribers, &admin);
        async move {
            let user = format!("subscriber-{i}");
            let token = shop.tokens.customer(&user);
            let order_id = place_one(shop, &token).await;
            subscribers.follow(shop, &order_id, user, token.clone());
            subscribers.follow(shop, &order_id, "an administrator".into(), admin.clone());
            // Spread over the time a subscription takes to begin.
            tokio::time::sleep(Duration::from_millis((i as u64 * 7) % 50)).await;
            let cancelled = shop
                .graphql(
                    &shop.orders_url,
                    "mutation($id: ID!) { cancelOrder(orderId: $id) { order { status } } }",
                    json!({ "id": order_id }),
                    &token,
                )
                .await
                .expect("the orders service answers");
            assert_eq!(
                cancelled["data"]["cancelOrder"]["order"]["status"], "CANCELLED",
                "{cancelled}"
            );
        }
    });
    futures::future::join_all(cancels).await;
    let violations = settle(&shop, 10, || subscribers.follows()).await;
    subscribers.stop();
    assert!(
        violations.is_empty(),
        "{}",
        invariants::report(&violations, &[])
    );
}

/// Places an order of one unit of the shop's SKU; its id.
async fn place_one(shop: &Shop, token: &str) -> String {
    let placed = shop
        .graphql(
            &shop.orders_url,
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code } } }",
            json!({ "input": {
                "lines": [{ "skuId": shop.skus[0].id, "quantity": 1 }],
                "shippingAddress": { "recipient": "张三", "phone": "+86 138 0000 0000",
                    "line1": "1 Century Avenue", "city": "上海", "postalCode": "200120", "country": "CN" },
                "idempotencyKey": uuid::Uuid::new_v4().to_string(),
            } }),
            token,
        )
        .await
        .expect("the orders service answers");
    placed["data"]["placeOrder"]["order"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an order: {placed}"))
        .to_owned()
}

/// Checks the invariants (with what `follows` says the subscribers heard)
/// until they hold or `secs` have passed.
async fn settle(
    shop: &Shop,
    secs: u64,
    follows: impl Fn() -> Vec<Follow>,
) -> Vec<invariants::Violation> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let violations = invariants::check(shop, &[], &follows()).await;
        if violations.is_empty() || Instant::now() >= deadline {
            return violations;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
