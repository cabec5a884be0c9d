//! Rate limits in Redis: shared by router replicas; with Redis gone,
//! requests pass (fail open). Runs against TEST_REDIS_URL when set; without
//! it, the in-process backend shows the difference (each router has its
//! own buckets) and an address where nothing listens plays the lost Redis.

use platform::testing::{TestTokens, proxied};
use tokio::net::TcpListener;

use crate::helpers::{TestRouter, config, settings, spawn_shop, unique};

const BROWSE: &str = "{ products { id } }";

fn tiers(prefix: &str, capacity: u32) -> String {
    format!(
        "
rate_limits:
  enabled: true
  key_prefix: {prefix}
  classes:
    browse:
      operation_types: [query]
      per_client: {{capacity: {capacity}, refill_per_second: 0.01}}
"
    )
}

async fn replica(
    shop: &str,
    tokens: &TestTokens,
    redis_url: Option<String>,
    yaml: &str,
) -> TestRouter {
    let mut settings = settings(shop, tokens, config(yaml));
    settings.redis_url = redis_url;
    TestRouter::start(settings).await
}

#[tokio::test]
async fn replicas_on_redis_share_one_bucket_per_client() {
    let redis_url = platform::testing::redis_url();
    let shared = redis_url.is_some();
    let tokens = TestTokens::generate();
    let shop = spawn_shop().await;
    let yaml = tiers(&unique("test-rate"), 3);
    let a = replica(&shop, &tokens, redis_url.clone(), &yaml).await;
    let b = replica(&shop, &tokens, redis_url, &yaml).await;
    let ada = tokens.customer("ada");
    assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 200);
    assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 200);
    assert_eq!(b.ask(Some(&ada), BROWSE).await.status, 200);
    let fourth = b.ask(Some(&ada), BROWSE).await;
    if shared {
        assert_eq!(fourth.status, 429, "{fourth:?}");
        assert_eq!(fourth.code(), Some("RATE_LIMITED"));
        assert!(fourth.retry_after.is_some_and(|s| s >= 1), "{fourth:?}");
        assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 429);
        // Another client's bucket is untouched.
        let alan = tokens.customer("alan");
        assert_eq!(b.ask(Some(&alan), BROWSE).await.status, 200);
    } else {
        // In-process buckets: each replica enforces its own.
        assert_eq!(fourth.status, 200, "{fourth:?}");
        assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 200);
        assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 429);
    }
}

#[tokio::test]
async fn with_redis_gone_requests_pass_unlimited() {
    let tokens = TestTokens::generate();
    let shop = spawn_shop().await;
    let yaml = tiers(&unique("test-rate"), 1);
    let ada = tokens.customer("ada");
    match platform::testing::redis_url() {
        Some(redis_url) => {
            let redis = proxied(&redis_url).await.expect("a proxy starts");
            let router = replica(&shop, &tokens, Some(redis.url.clone()), &yaml).await;
            assert_eq!(router.ask(Some(&ada), BROWSE).await.status, 200);
            assert_eq!(router.ask(Some(&ada), BROWSE).await.status, 429);
            redis.proxy.cut();
            for _ in 0..3 {
                let answer = router.ask(Some(&ada), BROWSE).await;
                assert_eq!(answer.status, 200, "{answer:?}");
                assert_eq!(answer.body["data"]["products"][0]["id"], "p1");
            }
        }
        None => {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let port = listener.local_addr().expect("addr").port();
            drop(listener);
            let nowhere = format!("redis://127.0.0.1:{port}");
            let router = replica(&shop, &tokens, Some(nowhere), &yaml).await;
            for _ in 0..3 {
                let answer = router.ask(Some(&ada), BROWSE).await;
                assert_eq!(answer.status, 200, "{answer:?}");
            }
        }
    }
}
