//! Checkout under a crowd: `BENCH_BUYERS` buyers (200) at once for
//! `BENCH_UNITS` units (50), through the router of the all-in-one platform,
//! once as a normal checkout (stock reserved and the order stored in the
//! request) and once as a flash sale (the counter admits, the order is
//! stored asynchronously). Measures what a buyer waits for an answer and
//! how long until every order is stored, checks that exactly the units were
//! sold, and writes its section of benches/RESULTS.md.
//!
//!     cargo bench --bench checkout
//!
//! Embedded backends by default; TEST_REDIS_URL / TEST_AMQP_URL switch on
//! Redis and RabbitMQ as they do for the tests. BENCH_ROUNDS (3) rounds,
//! each running both kinds on a fresh product.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use futures::{StreamExt, stream};
use platform::testing::post_graphql;
use serde_json::{Value, json};
use shopgraph::stack::{DatabaseUrls, Stack, StackOptions};

const RESULTS: &str = "benches/RESULTS.md";
const BEGIN: &str = "<!-- checkout benchmark: begin -->";
const END: &str = "<!-- checkout benchmark: end -->";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Bench {
    client: reqwest::Client,
    /// The router's address; requests go to its `/graphql`.
    base: String,
    admin: String,
}

impl Bench {
    async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = post_graphql(&self.client, &self.base, query, variables, token)
            .await
            .expect("the router answers with a JSON body");
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }

    async fn login(&self, email: &str, password: &str) -> String {
        let data = self
            .graphql(
                "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                json!({ "i": { "email": email, "password": password } }),
                None,
            )
            .await;
        data["login"]["accessToken"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    async fn buyer(&self, n: usize) -> String {
        let data = self
            .graphql(
                "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken errors { code } } }",
                json!({ "i": { "email": format!("buyer-{n}@bench.shopgraph.dev"),
                    "name": format!("Buyer {n}"), "password": "bench-pass-1" } }),
                None,
            )
            .await;
        data["signUp"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned()
    }

    /// A new product with one SKU of `stock` units; its SKU id.
    async fn sku(&self, stock: usize) -> String {
        let category = self
            .graphql(
                "mutation { createCategory(input: { name: \"bench\" }) { category { id } } }",
                json!({}),
                Some(&self.admin),
            )
            .await["createCategory"]["category"]["id"]
            .clone();
        let data = self
            .graphql(
                "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { skus { id } } } }",
                json!({ "i": { "categoryId": category, "name": "Bench phone", "brand": "Bench",
                    "description": "bench", "images": [],
                    "skus": [{ "name": "black", "price": 399_900, "stock": stock }] } }),
                Some(&self.admin),
            )
            .await;
        data["createProduct"]["product"]["skus"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned()
    }

    async fn flash_sale(&self, sku: &str, units: usize) -> String {
        let now = platform::db::now_millis();
        let data = self
            .graphql(
                "mutation($i: CreateFlashSaleInput!) { createFlashSale(input: $i) { flashSale { id } } }",
                json!({ "i": { "skuId": sku, "salePrice": 99_900, "quantity": units, "perUserLimit": 1,
                    "startsAt": now - 60_000, "endsAt": now + 3_600_000 } }),
                Some(&self.admin),
            )
            .await;
        data["createFlashSale"]["flashSale"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned()
    }
}

/// One crowd's numbers.
struct Run {
    /// What each buyer waited for `placeOrder`'s answer, sorted.
    waits: Vec<Duration>,
    /// From the first request until every answer was back.
    answered: Duration,
    /// From the first request until every sold order was stored.
    stored: Duration,
}

const PLACE: &str = "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { placement { orderId status } errors { code } } }";
const PLACEMENT: &str = "query($id: ID!) { orderPlacement(orderId: $id) { status } }";

async fn crowd(bench: &Bench, buyers: &[String], units: usize, flash: bool) -> Run {
    let sku = bench.sku(units).await;
    let sale = match flash {
        true => Some(bench.flash_sale(&sku, units).await),
        false => None,
    };
    let started = Instant::now();
    let answers = futures::future::join_all(buyers.iter().map(|token| {
        let mut input = json!({ "lines": [{ "skuId": sku, "quantity": 1 }],
            "shippingAddress": { "recipient": "Bench", "phone": "+86 138 0000 0000",
                "line1": "1 Century Avenue", "city": "上海", "postalCode": "200120", "country": "CN" },
            "idempotencyKey": uuid::Uuid::new_v4().to_string() });
        if let Some(sale) = &sale {
            input["flashSaleId"] = json!(sale);
        }
        async move {
            let sent = Instant::now();
            let data = bench.graphql(PLACE, json!({ "i": input }), Some(token)).await;
            (sent.elapsed(), token, data["placeOrder"].clone())
        }
    }))
    .await;
    let answered = started.elapsed();
    let sold: Vec<(&String, String)> = answers
        .iter()
        .filter_map(|(_, token, payload)| {
            Some((*token, payload["placement"]["orderId"].as_str()?.to_owned()))
        })
        .collect();
    assert_eq!(sold.len(), units, "exactly the units are sold");
    for (token, order_id) in &sold {
        loop {
            let data = bench
                .graphql(PLACEMENT, json!({ "id": order_id }), Some(token))
                .await;
            match data["orderPlacement"]["status"].as_str() {
                Some("PLACED") => break,
                Some("QUEUED") => tokio::time::sleep(Duration::from_millis(5)).await,
                other => panic!("order {order_id} ended {other:?}"),
            }
        }
    }
    let stored = started.elapsed();
    let mut waits: Vec<Duration> = answers.iter().map(|(wait, _, _)| *wait).collect();
    waits.sort();
    Run {
        waits,
        answered,
        stored,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The median over rounds of `f`.
fn median(runs: &[Run], f: impl Fn(&Run) -> Duration) -> Duration {
    let mut values: Vec<Duration> = runs.iter().map(f).collect();
    values.sort();
    values[values.len() / 2]
}

fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim());
    let meminfo = read("/proc/meminfo");
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .map_or("unknown", str::trim);
    format!("{cpus} CPUs, CPU model \"{model}\", {memory} memory")
}

/// The commit measured, marked when the working tree differs from it.
fn commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".into();
    };
    match git(&["status", "--porcelain"]) {
        Some(changes) if !changes.is_empty() => format!("{head} (with uncommitted changes)"),
        _ => head,
    }
}

fn report(buyers: usize, units: usize, normal: &[Run], flash: &[Run]) -> String {
    let backends = match (
        platform::testing::redis_url(),
        platform::testing::amqp_url(),
    ) {
        (None, None) => "embedded (SQLite, in-process counters and broker)".to_owned(),
        (redis, amqp) => format!(
            "SQLite with {}{}",
            redis.map_or("", |_| "Redis "),
            amqp.map_or("", |_| "RabbitMQ")
        ),
    };
    let row = |name: &str, f: &dyn Fn(&Run) -> Duration| {
        let (n, s) = (median(normal, f), median(flash, f));
        format!(
            "| {name} | {} | {} | {:.2} |\n",
            ms(n),
            ms(s),
            s.as_secs_f64() / n.as_secs_f64()
        )
    };
    let mut out = format!(
        "{BEGIN}\n## Checkout under a crowd\n\n\
         Written by `cargo bench --bench checkout` (benches/checkout.rs).\n\n\
         - Date: {} (UTC)\n- Machine: {}\n- ShopGraph commit {}\n\
         - {buyers} buyers at once for {units} units of one SKU, through the router of the \
         all-in-one platform; backends: {backends}; {} rounds, each on a fresh product; \
         medians over rounds. Every round sold exactly {units} units.\n\n\
         | ms (median of rounds) | normal checkout | flash sale | flash / normal |\n\
         | --- | ---: | ---: | ---: |\n",
        chrono_now(),
        machine(),
        commit(),
        normal.len(),
    );
    out += &row("buyer's wait, p50", &|r| percentile(&r.waits, 0.50));
    out += &row("buyer's wait, p99", &|r| percentile(&r.waits, 0.99));
    out += &row("every buyer answered", &|r| r.answered);
    out += &row("every sold order stored", &|r| r.stored);
    out += "\nA flash-sale buyer is answered once the counter admitted them and the order \
            is queued; the orders are stored by the placement consumers after that.\n";
    out += END;
    out
}

/// Now as `YYYY-MM-DD HH:MM` (UTC), from `date`, as benches/run.sh does.
fn chrono_now() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M"])
        .output()
        .ok()
        .map_or("unknown".into(), |o| {
            String::from_utf8_lossy(&o.stdout).trim().to_owned()
        })
}

/// Replaces this benchmark's section of RESULTS.md (or appends it).
fn write_section(section: &str) -> std::io::Result<()> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(RESULTS);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let updated = match (current.find(BEGIN), current.find(END)) {
        (Some(begin), Some(end)) if begin < end => format!(
            "{}{section}{}",
            &current[..begin],
            &current[end + END.len()..]
        ),
        _ => format!("{}\n\n{section}\n", current.trim_end()),
    };
    std::fs::write(path, updated)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let buyers = env_number("BENCH_BUYERS", 200);
    let units = env_number("BENCH_UNITS", 50);
    let rounds = env_number("BENCH_ROUNDS", 3).max(1);
    let data = tempfile::tempdir()?;
    let sqlite = |name: &str| format!("sqlite://{}?mode=rwc", data.path().join(name).display());
    let mut router_config = router::RouterConfig::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("router-config/router.yaml"),
    )?;
    // One client signs up every buyer: no per-client budget for that here.
    router_config.rate_limits.enabled = false;
    let stack = Stack::start(StackOptions {
        base_port: 0,
        databases: DatabaseUrls {
            users: sqlite("users.db"),
            catalog: sqlite("catalog.db"),
            orders: sqlite("orders.db"),
            search: sqlite("search.db"),
        },
        redis_url: platform::testing::redis_url(),
        amqp_url: platform::testing::amqp_url(),
        seed_demo: true,
        router_config,
        search_index_dir: Some(data.path().join("search-index")),
        queue_namespace: Some(format!("bench-{}", uuid::Uuid::new_v4().simple())),
        queue_expiry: Some(Duration::from_secs(120)),
        // Checkout only: nothing here pays.
        sandbox_auto_confirm: None,
    })
    .await?;
    let mut bench = Bench {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(buyers)
            .build()?,
        base: format!("http://127.0.0.1:{}", stack.router_port),
        admin: String::new(),
    };
    bench.admin = bench
        .login(users::DEMO_ADMIN_EMAIL, users::DEMO_ADMIN_PASSWORD)
        .await;
    eprintln!("signing up {buyers} buyers…");
    let tokens: Vec<String> = stream::iter(0..buyers)
        .map(|n| bench.buyer(n))
        .buffer_unordered(8)
        .collect()
        .await;
    let (mut normal, mut flash) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        // Alternate which kind goes first, so neither always runs warm.
        for kind_is_flash in [round % 2 == 0, round % 2 == 1] {
            let run = crowd(&bench, &tokens, units, kind_is_flash).await;
            eprintln!(
                "round {round} {}: p50 {} ms, p99 {} ms, answered {} ms, stored {} ms",
                if kind_is_flash { "flash" } else { "normal" },
                ms(percentile(&run.waits, 0.5)),
                ms(percentile(&run.waits, 0.99)),
                ms(run.answered),
                ms(run.stored)
            );
            match kind_is_flash {
                true => flash.push(run),
                false => normal.push(run),
            }
        }
    }
    let section = report(buyers, units, &normal, &flash);
    println!("{section}");
    write_section(&section)?;
    drop(stack);
    Ok(())
}
