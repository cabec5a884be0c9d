//! Rate limits in Redis: shared by router replicas; with Redis gone,
//! requests pass (fail open). Runs against TEST_REDIS_URL when set; without
//! it, the in-process backend shows the difference (each router has its
//! own buckets) and an address where nothing listens plays the lost Redis.

use std::sync::{Arc, Mutex};

use tokio::{net::TcpListener, task::JoinHandle};

use crate::helpers::{TestRouter, Tokens, config, settings, spawn_shop, unique};

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

async fn replica(shop: &str, tokens: &Tokens, redis_url: Option<String>, yaml: &str) -> TestRouter {
    let mut settings = settings(shop, tokens, config(yaml));
    settings.redis_url = redis_url;
    TestRouter::start(settings).await
}

#[tokio::test]
async fn replicas_on_redis_share_one_bucket_per_client() {
    let redis_url = platform::testing::redis_url();
    let shared = redis_url.is_some();
    let tokens = Tokens::new();
    let shop = spawn_shop().await;
    let yaml = tiers(&unique("test-rate"), 3);
    let a = replica(&shop, &tokens, redis_url.clone(), &yaml).await;
    let b = replica(&shop, &tokens, redis_url, &yaml).await;
    let ada = tokens.for_user("ada");
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
        let alan = tokens.for_user("alan");
        assert_eq!(b.ask(Some(&alan), BROWSE).await.status, 200);
    } else {
        // In-process buckets: each replica enforces its own.
        assert_eq!(fourth.status, 200, "{fourth:?}");
        assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 200);
        assert_eq!(a.ask(Some(&ada), BROWSE).await.status, 429);
    }
}

/// A TCP proxy whose connections (and listener) can be cut.
struct Proxy {
    url: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(redis_url: &str) -> Self {
        let target = redis_url
            .trim_start_matches("redis://")
            .split('/')
            .next()
            .expect("host:port")
            .rsplit('@')
            .next()
            .expect("host:port")
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let connections = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let connection = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                connections.lock().expect("lock").push(connection);
            }
        });
        tasks.lock().expect("lock").push(accept);
        Self {
            url: format!("redis://127.0.0.1:{port}"),
            tasks,
        }
    }

    fn cut(&self) {
        for task in self.tasks.lock().expect("lock").drain(..) {
            task.abort();
        }
    }
}

#[tokio::test]
async fn with_redis_gone_requests_pass_unlimited() {
    let tokens = Tokens::new();
    let shop = spawn_shop().await;
    let yaml = tiers(&unique("test-rate"), 1);
    let ada = tokens.for_user("ada");
    match platform::testing::redis_url() {
        Some(redis_url) => {
            let proxy = Proxy::start(&redis_url).await;
            let router = replica(&shop, &tokens, Some(proxy.url.clone()), &yaml).await;
            assert_eq!(router.ask(Some(&ada), BROWSE).await.status, 200);
            assert_eq!(router.ask(Some(&ada), BROWSE).await.status, 429);
            proxy.cut();
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
