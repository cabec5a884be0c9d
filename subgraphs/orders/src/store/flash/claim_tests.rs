//! [`FlashStock::claim`] of a ticket the counters lost, on the in-process
//! counters and (with Redis switched on) on Redis: it fails the ticket,
//! for its buyer to read, without giving the sale units it never held,
//! and the buyer may check out afresh.

use std::collections::HashMap;

use super::*;

fn lost(sale_id: &str, user_id: &str) -> Ticket {
    Ticket {
        sale_id: sale_id.to_owned(),
        user_id: user_id.to_owned(),
        quantity: 1,
        queued_at: 1,
        state: TicketState::Failed {
            code: "FLASH_ORDER_EXPIRED".into(),
            message: "lost".into(),
        },
    }
}

fn admission<'a>(sale_id: &'a str, order_id: &'a str, user_id: &'a str) -> Admission<'a> {
    Admission {
        sale_id,
        order_id,
        user_id,
        quantity: 1,
        per_user_limit: 1,
    }
}

async fn a_lost_ticket_fails_and_holds_no_units(stock: &dyn FlashStock) {
    let sale = uuid::Uuid::new_v4().to_string();
    let order = uuid::Uuid::new_v4().to_string();
    // Counters rebuilt after a loss: 5 left, no ticket of `order`.
    let rebuilt = Counters {
        remaining: 5,
        held: HashMap::new(),
        ..Counters::default()
    };
    assert!(stock.restore(&sale, &rebuilt).await.unwrap());
    let claim = stock.claim(&sale, &order, &lost(&sale, "u1")).await;
    assert_eq!(claim.unwrap(), Claim::Lost);
    let ticket = stock.ticket(&order).await.unwrap().expect("a ticket");
    assert!(
        matches!(&ticket.state, TicketState::Failed { code, .. } if code == "FLASH_ORDER_EXPIRED"),
        "{ticket:?}"
    );
    assert_eq!(stock.counters(&sale).await.unwrap().unwrap().remaining, 5);
    // Failed once: a second delivery finds it settled.
    let again = stock.claim(&sale, &order, &lost(&sale, "u1")).await;
    assert_eq!(again.unwrap(), Claim::Settled);
    // The buyer checks out again with the same order id.
    let retaken = stock.take(&admission(&sale, &order, "u1")).await.unwrap();
    assert_eq!(retaken, Take::Taken);
    let claim = stock.claim(&sale, &order, &lost(&sale, "u1")).await;
    assert_eq!(claim.unwrap(), Claim::Claimed);
    assert_eq!(stock.counters(&sale).await.unwrap().unwrap().remaining, 4);
}

#[tokio::test]
async fn in_process_a_lost_ticket_fails_and_holds_no_units() {
    a_lost_ticket_fails_and_holds_no_units(&LocalFlashStock::default()).await;
}

#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn on_redis_a_lost_ticket_fails_and_holds_no_units() {
    let url = platform::testing::required_redis_url();
    let namespace = format!("test-{}", uuid::Uuid::new_v4().simple());
    let stock = RedisFlashStock::connect(&url, &namespace).await.unwrap();
    a_lost_ticket_fails_and_holds_no_units(&stock).await;
}

/// Redis may lose one key and keep the others (eviction): a ticket whose
/// hash is gone while its sale's counters still hold its units fails too,
/// and its units go back to the sale.
#[tokio::test]
#[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
async fn on_redis_units_held_for_a_lost_ticket_go_back() {
    let url = platform::testing::required_redis_url();
    let namespace = format!("test-{}", uuid::Uuid::new_v4().simple());
    let stock = RedisFlashStock::connect(&url, &namespace).await.unwrap();
    let (sale, order) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let start = Counters {
        remaining: 5,
        ..Counters::default()
    };
    assert!(stock.restore(&sale, &start).await.unwrap());
    let taken = stock.take(&admission(&sale, &order, "u1")).await.unwrap();
    assert_eq!(taken, Take::Taken);
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: i64 = redis::cmd("DEL")
        .arg(format!("flash:ticket:{order}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    let claim = stock.claim(&sale, &order, &lost(&sale, "u1")).await;
    assert_eq!(claim.unwrap(), Claim::Lost);
    let counters = stock.counters(&sale).await.unwrap().unwrap();
    assert_eq!(counters.remaining, 5, "its unit is back");
    assert_eq!(counters.held.get("u1").copied().unwrap_or(0), 0);
    assert!(counters.queued.is_empty());
}
