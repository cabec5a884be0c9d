//! One run: open a shop, let the buyers loose while the faults happen,
//! wait for the shop to go quiet, and check every invariant; a violation
//! fails the test with the histories that led to it.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::{
    backends::Wanted,
    buyers::{self, Buyer, History, Plan},
    faults::{self, FaultLog, Scheduled},
    invariants,
    shop::{PAYMENT_TIMEOUT_SECS, Shop},
    subscribers::Subscribers,
};

/// How long the platform's outbox relay holds a claim on a row
/// (`RelayOptions::lease`; no environment setting changes it).
const OUTBOX_CLAIM_LEASE_SECS: u64 = 30;

/// The hot SKUs' stock: fewer units than the buyers want, so they compete.
const HOT_STOCK: [i64; 3] = [40, 40, 40];
const FLASH_STOCK: i64 = 100;
const FLASH_QUANTITY: i64 = 15;

/// The heavy runs take turns: on two shared cores, parallel runs would
/// stretch checkouts past the reservation lease and test the machine.
static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct Scenario {
    pub name: &'static str,
    pub buyers: usize,
    pub backends: Wanted,
    pub faults: Vec<Scheduled>,
    /// When the flash-sale buyers start (the others start in the first
    /// five seconds).
    pub flash_after: Duration,
}

pub async fn play(scenario: Scenario) {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let started = Instant::now();
    let seed = std::env::var("CONSISTENCY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let mut shop = Shop::open(scenario.backends).await;
    shop.stock_skus("Hot", &HOT_STOCK).await;
    shop.stock_skus("Flash", &[FLASH_STOCK]).await;
    shop.start_flash_sale(HOT_STOCK.len(), FLASH_QUANTITY).await;
    let shop = Arc::new(shop);
    let buyers = buyers_for(scenario.buyers, scenario.flash_after, seed);

    let epoch = Instant::now();
    let fault_log = FaultLog::default();
    let subscribers = Arc::new(Subscribers::new(epoch));
    let shopping =
        futures::future::join_all(buyers.into_iter().map(|buyer| {
            tokio::spawn(buyers::run(shop.clone(), subscribers.clone(), buyer, epoch))
        }));
    let (histories, ()) = tokio::join!(
        shopping,
        faults::inject(&shop, &scenario.faults, epoch, &fault_log)
    );
    let histories: Vec<History> = histories
        .into_iter()
        .map(|h| h.expect("a buyer task panicked"))
        .collect();
    let shopped = epoch.elapsed();

    // Quiet: no client requests; timeouts, the sweeper and the outbox
    // relays finish the work. The invariants must hold by the end of it.
    // The longest chain: outbox rows claimed by a process just before it
    // was killed wait out their claim (the relay's 30 s lease), then the
    // payment timeout they carry runs, then the stock release.
    let quiet = Duration::from_secs(OUTBOX_CLAIM_LEASE_SECS + PAYMENT_TIMEOUT_SECS + 10);
    let deadline = Instant::now() + quiet;
    let mut pending = String::new();
    let violations = loop {
        let violations = invariants::check(&shop, &histories, &subscribers.follows()).await;
        let unrepairable = violations.iter().any(|v| v.safety);
        if violations.is_empty() || unrepairable || Instant::now() >= deadline {
            break violations;
        }
        // What the shop is still settling, when it changes (run with
        // --nocapture to watch it converge).
        let now_pending: Vec<&str> = violations.iter().map(|v| v.invariant).collect();
        let now_pending = format!("{now_pending:?}");
        if now_pending != pending {
            eprintln!(
                "{:>6.1}s still settling: {}",
                epoch.elapsed().as_secs_f64(),
                violations
                    .first()
                    .map(|v| v.detail.as_str())
                    .unwrap_or_default()
            );
            pending = now_pending;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    subscribers.stop();
    let summary = format!(
        "{}; {}",
        crate::subscribers::summarize(&subscribers.follows()),
        summarize(&histories),
    );
    eprintln!(
        "{}: {} buyers on {} (seed {seed}): {summary}; shopping {:.1}s, quiet after {:.1}s more, {:.1}s in all",
        scenario.name,
        histories.len(),
        shop.backends.describe(),
        shopped.as_secs_f64(),
        (epoch.elapsed() - shopped).as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    // Stopped at a safety violation: the checks that needed the quiet
    // period did not get it, so only the safety ones are reported.
    let unsettled = violations.iter().filter(|v| !v.safety).count();
    let violations: Vec<_> = match violations.iter().any(|v| v.safety) {
        true => violations.into_iter().filter(|v| v.safety).collect(),
        false => violations,
    };
    if !violations.is_empty() {
        let orders_log = shop.orders.lock().await.log_tail();
        panic!(
            "{}: {} violation(s) (a quiet period of up to {quiet:?}; {unsettled} other checks not settled when it stopped; seed {seed}, CONSISTENCY_SEED replays the buyers):\n{}\nfaults:\n  {}\norders log (tail):\n{orders_log}\ncatalog log (tail):\n{}",
            scenario.name,
            violations.len(),
            invariants::report(&violations, &histories),
            fault_log.lines().join("\n  "),
            shop.catalog.log_tail(),
        );
    }
}

/// Who buys what: most buyers one or two units of a hot SKU, every fifth one
/// unit in the flash sale; each pays, cancels, leaves it unpaid, or gives
/// up at its first failure. Start times spread over a few seconds so the
/// faults land mid-checkout.
fn buyers_for(count: usize, flash_after: Duration, seed: u64) -> Vec<Buyer> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let flash = i % 5 == 0;
            let plan = match rng.gen_range(0..100) {
                0..45 => Plan::Pay,
                45..65 => Plan::Cancel,
                65..85 => Plan::LeaveUnpaid,
                _ => Plan::Abandon,
            };
            Buyer {
                user_id: format!("buyer-{i}"),
                sku: if flash {
                    HOT_STOCK.len()
                } else {
                    rng.gen_range(0..HOT_STOCK.len())
                },
                quantity: if flash { 1 } else { rng.gen_range(1..=2) },
                flash,
                plan,
                // A quarter of the orders, flash-sale ones among them.
                followed: i % 4 == 0,
                start_after: match flash {
                    true => flash_after + Duration::from_millis(rng.gen_range(0..2_000)),
                    false => Duration::from_millis(rng.gen_range(0..5_000)),
                },
            }
        })
        .collect()
}

fn summarize(histories: &[History]) -> String {
    let placed = histories
        .iter()
        .filter(|h| {
            h.steps
                .iter()
                .any(|s| s.op == "placeOrder" && s.outcome.starts_with("ok"))
        })
        .count();
    let retried = histories
        .iter()
        .filter(|h| h.steps.iter().any(|s| s.attempt > 1))
        .count();
    let requests: usize = histories.iter().map(|h| h.steps.len()).sum();
    let slowest = histories
        .iter()
        .max_by_key(|h| h.steps.last().map(|s| s.at))
        .map(ToString::to_string)
        .unwrap_or_default();
    format!(
        "{placed} checkouts answered, {retried} buyers retried, {requests} requests; the last to finish:\n{slowest}"
    )
}
