//! DataLoaders keep a response's SQL statement count flat: listing 40
//! products with their SKUs, category, rating stats, reviews and replies
//! issues as many statements as listing 4. And the Bloom filter of product
//! ids keeps lookups of made-up ids away from the database.
//!
//! Statements are counted from sqlx's `sqlx::query` tracing events, which a
//! process-wide counter sees from every test running in parallel; so the
//! counting runs in a child process of this test binary, alone, against an
//! app whose outbox relay does not poll.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use tracing_subscriber::{Layer, filter::Targets, layer::SubscriberExt};

use crate::helpers::spawn_quiet_seeded_app;

const CHILD_ENV: &str = "CATALOG_STATEMENT_COUNT_CHILD";
const CHILD_TEST: &str = "statements::counts_statements_alone";

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(
        &self,
        _event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn statement_count_does_not_grow_with_list_size() {
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = std::process::Command::new(exe)
        .args([
            "--exact",
            CHILD_TEST,
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD_ENV, "1")
        .status()
        .expect("the child test runs");
    assert!(status.success(), "the statement-counting child failed");
}

const LIST: &str = "query($n: Int) { products(first: $n, sort: PRICE_ASC) { edges { node {
  id skus { id price { amount } } category { id name parent { id } } averageRating reviewCount
  reviews(first: 3) { id author { id } replies { id } } } } } }";

const PRODUCT: &str = "query($id: ID!) { product(id: $id) { id skus { id } } }";

const ENTITIES: &str = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product {
  id skus { id } category { id } reviewCount } } }";

#[tokio::test]
#[ignore = "run alone by statement_count_does_not_grow_with_list_size"]
async fn counts_statements_alone() {
    assert!(
        std::env::var_os(CHILD_ENV).is_some(),
        "run through statement_count_does_not_grow_with_list_size, not directly"
    );
    let counter = CountStatements
        .with_filter(Targets::new().with_target("sqlx::query", tracing::Level::TRACE));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(counter))
        .expect("the child installs the only subscriber");

    let app = spawn_quiet_seeded_app().await;
    // Reviews and replies on many products, so every nested loader has rows.
    let all = app.data(LIST, json!({ "n": 40 }), None).await;
    let ids: Vec<String> = all["products"]["edges"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let token = app.tokens.customer("counter");
    let reviewed: Vec<&str> = ids.iter().step_by(3).map(String::as_str).collect();
    app.buy("counter", &reviewed).await;
    for id in reviewed {
        let review = app
            .data(
                "mutation($id: ID!) { addReview(input: { productId: $id, rating: 4, body: \"ok\" }) { review { id } } }",
                json!({ "id": id }),
                Some(&token),
            )
            .await;
        assert!(review["addReview"]["review"]["id"].is_string(), "{review}");
        app.data(
            "mutation($r: ID!) { replyToReview(input: { reviewId: $r, body: \"thanks\" }) { review { id } } }",
            json!({ "r": review["addReview"]["review"]["id"] }),
            Some(&token),
        )
        .await;
    }

    // Let the relay publish what those writes put in the outbox; it then
    // sleeps until the next write.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // The fewest statements of three runs: a DataLoader batches the keys
    // that arrive within its 1 ms window, and on a loaded machine resolving
    // a long list can outlast it, splitting one batch in two. That adds
    // statements by chance; a lookup per item (N+1) would add them every
    // run, which this still catches.
    let count = |query: &'static str, variables: Value| {
        let app = &app;
        async move {
            app.data(query, variables.clone(), None).await; // warm the category tree cache
            let mut fewest = usize::MAX;
            for _ in 0..3 {
                let before = STATEMENTS.load(Ordering::SeqCst);
                app.data(query, variables.clone(), None).await;
                fewest = fewest.min(STATEMENTS.load(Ordering::SeqCst) - before);
            }
            fewest
        }
    };
    let small = count(LIST, json!({ "n": 4 })).await;
    let large = count(LIST, json!({ "n": 40 })).await;
    eprintln!("statements for 4 products: {small}, for 40: {large}");
    assert!(small > 0, "statements are being counted");
    assert_eq!(small, large, "listing 4 vs 40 products");

    let reps = |n: usize| json!({ "r": ids.iter().take(n).map(|id| json!({ "__typename": "Product", "id": id })).collect::<Vec<_>>() });
    let small = count(ENTITIES, reps(3)).await;
    let large = count(ENTITIES, reps(30)).await;
    eprintln!("statements for 3 entities: {small}, for 30: {large}");
    assert!(small > 0);
    assert_eq!(small, large, "resolving 3 vs 30 product entities");

    // Made-up ids, each new (so no cached empty result could answer),
    // through both lookups: not one statement. A real id not yet cached,
    // the same way, does reach the database.
    let lookup = |id: String| {
        let app = &app;
        async move {
            let before = STATEMENTS.load(Ordering::SeqCst);
            let found = app.data(PRODUCT, json!({ "id": id }), None).await;
            (STATEMENTS.load(Ordering::SeqCst) - before, found)
        }
    };
    let (real, found) = lookup(ids[1].clone()).await;
    assert_eq!(found["product"]["id"], ids[1].as_str());
    assert!(real > 0, "a real product is read from the database");
    let mut unknown_statements = 0;
    for _ in 0..50 {
        let (statements, found) = lookup(uuid::Uuid::new_v4().to_string()).await;
        assert_eq!(found["product"], Value::Null);
        unknown_statements += statements;
    }
    let before = STATEMENTS.load(Ordering::SeqCst);
    let random = json!({ "r": (0..30).map(|_| json!({ "__typename": "Product", "id": uuid::Uuid::new_v4().to_string() })).collect::<Vec<_>>() });
    let found = app.data(ENTITIES, random, None).await;
    assert!(
        found["_entities"]
            .as_array()
            .is_some_and(|e| e.len() == 30 && e.iter().all(Value::is_null)),
        "{found}"
    );
    unknown_statements += STATEMENTS.load(Ordering::SeqCst) - before;
    eprintln!("statements for 80 unknown product ids: {unknown_statements}");
    assert_eq!(unknown_statements, 0, "unknown ids reached the database");
}
