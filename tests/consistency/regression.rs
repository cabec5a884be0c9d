//! Histories the suite caught, kept as focused tests. Each replays, through
//! the catalog's internal stock API (what the orders service calls), the
//! steps of a checkout that went wrong in a full run, and checks the same
//! invariants on what is left.

use std::time::Duration;

use serde_json::json;

use crate::{
    backends::Wanted,
    invariants,
    shop::{RESERVATION_GRACE_SECS, Shop},
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
    let violations = settle(&shop, RESERVATION_GRACE_SECS + 6).await;
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

/// Checks the invariants until they hold or `secs` have passed.
async fn settle(shop: &Shop, secs: u64) -> Vec<invariants::Violation> {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let violations = invariants::check(shop, &[]).await;
        if violations.is_empty() || std::time::Instant::now() >= deadline {
            return violations;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
