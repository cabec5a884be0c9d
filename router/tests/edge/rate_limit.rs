//! Tiered rate limits with in-process buckets: browsing is shed while
//! checkout keeps its budget; clients have their own buckets.

use platform::testing::TestTokens;

use crate::helpers::{Answer, TestRouter, config, settings, spawn_shop};

const TIERS: &str = "
rate_limits:
  enabled: true
  classes:
    checkout:
      root_fields: [placeOrder]
      per_client: {capacity: 3, refill_per_second: 0.1}
      global: {capacity: 100, refill_per_second: 1}
    search:
      root_fields: [searchProducts]
      per_client: {capacity: 3, refill_per_second: 0.1}
    browse:
      operation_types: [query]
      per_client: {capacity: 5, refill_per_second: 0.2}
      global: {capacity: 8, refill_per_second: 0.2}
  default:
    per_client: {capacity: 2, refill_per_second: 0.1}
";

const BROWSE: &str = "{ products { id name } }";
const CHECKOUT: &str = "mutation { placeOrder(sku: \"tea-1\") { id sku } }";
const SEARCH: &str = "{ searchProducts(text: \"tea\") { id } }";

async fn router(tokens: &TestTokens) -> TestRouter {
    let shop = spawn_shop().await;
    TestRouter::start(settings(&shop, tokens, config(TIERS))).await
}

fn assert_limited(answer: &Answer) {
    assert_eq!(answer.status, 429, "{answer:?}");
    assert_eq!(answer.code(), Some("RATE_LIMITED"), "{answer:?}");
    let retry_after = answer.body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .expect("retryAfter");
    // The slowest refill here is 0.1 per second: a token is at most ten
    // seconds away.
    assert!((1..=10).contains(&retry_after), "{answer:?}");
    assert_eq!(answer.retry_after, Some(retry_after), "{answer:?}");
    assert!(answer.body.get("data").is_none(), "{answer:?}");
}

fn assert_ok(answer: &Answer) {
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.body.get("errors").is_none(), "{answer:?}");
}

#[tokio::test]
async fn a_browsing_flood_is_shed_while_the_same_clients_checkout_succeeds() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    let ada = tokens.customer("ada");
    let mut answers = Vec::new();
    for _ in 0..10 {
        answers.push(router.ask(Some(&ada), BROWSE).await);
    }
    for answer in &answers[..5] {
        assert_ok(answer);
        assert_eq!(answer.body["data"]["products"][0]["name"], "Teapot");
    }
    for answer in &answers[5..] {
        assert_limited(answer);
    }
    let order = router.ask(Some(&ada), CHECKOUT).await;
    assert_ok(&order);
    assert_eq!(order.body["data"]["placeOrder"]["id"], "order-tea-1");
    // Search is a class of its own too.
    assert_ok(&router.ask(Some(&ada), SEARCH).await);
    // Checkout has its own per-client limit.
    assert_ok(&router.ask(Some(&ada), CHECKOUT).await);
    assert_ok(&router.ask(Some(&ada), CHECKOUT).await);
    assert_limited(&router.ask(Some(&ada), CHECKOUT).await);
}

#[tokio::test]
async fn two_clients_have_separate_buckets() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    let (ada, alan) = (tokens.customer("ada"), tokens.customer("alan"));
    for _ in 0..5 {
        assert_ok(&router.ask(Some(&ada), BROWSE).await);
    }
    assert_limited(&router.ask(Some(&ada), BROWSE).await);
    assert_ok(&router.ask(Some(&alan), BROWSE).await);
    // Mutations no class names fall in the default class.
    let rename = "mutation { updateProfile(name: \"A\") }";
    assert_ok(&router.ask(Some(&alan), rename).await);
    assert_ok(&router.ask(Some(&alan), rename).await);
    assert_limited(&router.ask(Some(&alan), rename).await);
    assert_ok(&router.ask(Some(&ada), rename).await);
}

#[tokio::test]
async fn a_browsing_flood_from_many_clients_is_shed_by_the_shared_bucket_and_checkout_goes_on() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    // Eight requests from four clients empty the shared browse bucket,
    // though no client reached its own limit of five.
    for user in ["u1", "u2", "u3", "u4"] {
        let token = tokens.customer(user);
        assert_ok(&router.ask(Some(&token), BROWSE).await);
        assert_ok(&router.ask(Some(&token), BROWSE).await);
    }
    let newcomer = tokens.customer("u5");
    assert_limited(&router.ask(Some(&newcomer), BROWSE).await);
    assert_ok(&router.ask(Some(&newcomer), CHECKOUT).await);
    assert_ok(&router.ask(Some(&newcomer), SEARCH).await);
}

#[tokio::test]
async fn anonymous_clients_are_limited_by_address_and_unverified_tokens_get_no_bucket() {
    let tokens = TestTokens::generate();
    let router = router(&tokens).await;
    for _ in 0..5 {
        assert_ok(&router.ask(None, BROWSE).await);
    }
    assert_limited(&router.ask(None, BROWSE).await);
    // The same address with a verified token is a different client.
    assert_ok(&router.ask(Some(&tokens.customer("ada")), BROWSE).await);
    // A token signed by someone else names no one: refused before any
    // bucket is chosen by its claims.
    let forged = TestTokens::generate().customer("ada");
    let answer = router.ask(Some(&forged), BROWSE).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_eq!(answer.code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn refused_requests_are_charged_to_the_default_class() {
    let router = router(&TestTokens::generate()).await;
    for _ in 0..2 {
        let refused = router.ask(None, "{ nope }").await;
        assert_eq!(
            refused.code(),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{refused:?}"
        );
    }
    let limited = router.ask(None, "{ nope }").await;
    assert_limited(&limited);
    let message = limited.body["errors"][0]["message"].as_str();
    assert!(
        message.is_some_and(|m| m.starts_with("Too many default requests")),
        "{limited:?}"
    );
    // The classes of valid operations keep their budgets.
    assert_ok(&router.ask(None, BROWSE).await);
}
