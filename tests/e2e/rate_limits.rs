//! Tiered rate limits at the router: a flood of browsing is shed, per
//! client and then for everyone, while checkout keeps its own budget.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{GraphQLResponse, TestPlatform, repo_path, shipping_address};

/// Buckets small enough to drain in a test and slow enough (one token per
/// ~17 minutes) not to refill during it; a key prefix of its own so that
/// no other router sharing a Redis shares its buckets.
fn tight_rate_limits() -> serde_yaml::Value {
    let prefix = format!("e2e-{}:rate", uuid::Uuid::new_v4().simple());
    let yaml = format!(
        r#"
enabled: true
key_prefix: "{prefix}"
classes:
  checkout:
    root_fields: [placeOrder, payOrder, cancelOrder, addToCart, updateCartLine, removeFromCart, clearCart]
    per_client: {{ capacity: 3, refill_per_second: 0.001 }}
    global: {{ capacity: 100, refill_per_second: 0.001 }}
  browse:
    operation_types: [query]
    per_client: {{ capacity: 8, refill_per_second: 0.001 }}
    global: {{ capacity: 12, refill_per_second: 0.001 }}
default:
  per_client: {{ capacity: 10, refill_per_second: 0.001 }}
"#
    );
    serde_yaml::from_str(&yaml).expect("YAML")
}

/// The checked-in router.yaml with its `rate_limits` replaced.
fn router_config() -> router::RouterConfig {
    let raw = std::fs::read_to_string(repo_path("router-config/router.yaml")).expect("router.yaml");
    let mut config: serde_yaml::Value = serde_yaml::from_str(&raw).expect("YAML");
    config["rate_limits"] = tight_rate_limits();
    let text = serde_yaml::to_string(&config).expect("YAML");
    router::RouterConfig::parse(&text).expect("a valid router config")
}

#[track_caller]
fn assert_limited(response: &GraphQLResponse) {
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.body
    );
    assert_eq!(
        response.error_codes(),
        ["RATE_LIMITED"],
        "{}",
        response.body
    );
    let seconds = response.body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .unwrap_or(0);
    assert!(seconds >= 1, "{}", response.body);
    assert_eq!(
        response.retry_after,
        Some(seconds.to_string()),
        "{}",
        response.body
    );
}

const BROWSE: &str = "{ categories { id } }";

#[tokio::test]
async fn a_browsing_flood_is_shed_while_checkout_goes_through() {
    let platform = TestPlatform::spawn_with(router_config()).await;
    let (_, sku_id) = platform.product_in_stock().await; // anonymous: 1 browse
    let flooder = platform.customer_token().await;
    let (_, shopper) = platform
        .sign_up("shopper@example.com", "Shopper", "shopper-pass-1")
        .await;

    // The flooder browses until their own bucket (8) is empty.
    let mut served = 0;
    let mut limited = None;
    for _ in 0..12 {
        let response = platform.graphql(BROWSE, json!({}), Some(&flooder)).await;
        if response.status == StatusCode::OK {
            served += 1;
        } else {
            limited = Some(response);
        }
    }
    assert_eq!(served, 8, "the per-client browsing budget");
    assert_limited(&limited.expect("the flood was limited"));

    // The flood drained the browsing budget all clients share (12): the
    // shopper, with their own budget untouched, is shed too.
    let mut shopper_served = 0;
    let mut shopper_limited = None;
    for _ in 0..6 {
        let response = platform.graphql(BROWSE, json!({}), Some(&shopper)).await;
        if response.status == StatusCode::OK {
            shopper_served += 1;
        } else {
            shopper_limited = Some(response);
            break;
        }
    }
    assert!(
        shopper_served < 8,
        "the global browsing bucket did not shed"
    );
    assert_limited(&shopper_limited.expect("the shopper's browsing was shed"));

    // Checkout has a budget of its own: both still check out.
    let placed = platform
        .graphql(
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { status } errors { code } } }",
            json!({ "input": { "lines": [{ "skuId": sku_id, "quantity": 1 }], "shippingAddress": shipping_address(), "idempotencyKey": "e2e-rate-1" } }),
            Some(&shopper),
        )
        .await;
    assert_eq!(
        placed.data()["placeOrder"]["order"]["status"],
        "PENDING_PAYMENT",
        "{}",
        placed.body
    );
    let cart = "mutation { clearCart { cart { itemCount } errors { code } } }";
    for _ in 0..3 {
        let cleared = platform.graphql(cart, json!({}), Some(&flooder)).await;
        assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    }
    // ... and is limited at its own size.
    let fourth = platform.graphql(cart, json!({}), Some(&flooder)).await;
    assert_limited(&fourth);
}
