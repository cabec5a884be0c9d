//! Against a live catalog service seeded with its demo data: the first
//! fill, agreement with the catalog's own listing, and reindex versus
//! incremental indexing.

use std::{collections::HashSet, sync::Arc, time::Duration};

use platform::{
    auth::{Claims, ISSUER, JwksSource, SigningKey},
    db::now_millis,
    events::{Broker, Event, InProcessBroker},
    testing::fresh_database_url,
};
use search::domain::{Facets, ProductDocument};
use serde_json::{Value, json};

use crate::{
    backend_suite::count_facets,
    helpers::{TestApp, default_engine, settings, spawn},
};

struct LiveCatalog {
    address: String,
    token: String,
    key: SigningKey,
    client: reqwest::Client,
    /// The in-process broker the catalog publishes `product.changed` on and
    /// consumes order events from; the search service shares it.
    broker: Arc<dyn Broker>,
}

async fn spawn_catalog() -> LiveCatalog {
    let token = format!("internal-{}", uuid::Uuid::new_v4().simple());
    spawn_catalog_on(0, token).await
}

async fn spawn_catalog_on(port: u16, token: String) -> LiveCatalog {
    platform::telemetry::init_test_tracing();
    let key = SigningKey::generate().expect("a signing key");
    let broker: Arc<dyn Broker> = Arc::new(InProcessBroker::new());
    let settings = catalog::Settings {
        listen_addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        database_url: fresh_database_url(default_engine())
            .await
            .expect("a database"),
        redis_url: platform::testing::redis_url(),
        jwks: JwksSource::Static(key.jwks()),
        internal_token: token.clone(),
        seed_demo: true,
        // The catalog's default: these tests start no catalog replicas.
        known_ids_sync: std::time::Duration::from_secs(2),
        amqp_url: None,
        broker: Some(broker.clone()),
        queue_namespace: format!("catalog-test-{}", uuid::Uuid::new_v4().simple()),
        outbox_poll_interval: Duration::from_millis(50),
        // No orders service here: the reservation sweeper stays off.
        orders_url: "http://127.0.0.1:4003".into(),
        reservation_grace: catalog::DEFAULT_RESERVATION_GRACE,
        reservation_sweep_interval: Duration::ZERO,
    };
    let app = catalog::App::build(settings)
        .await
        .expect("the catalog builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    LiveCatalog {
        address,
        token,
        key,
        client: reqwest::Client::new(),
        broker,
    }
}

impl LiveCatalog {
    /// Every product document as the index takes it.
    async fn documents(&self) -> Vec<ProductDocument> {
        self.wire_documents()
            .await
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Every product document in the catalog's wire form
    /// (`contracts::product`), as `product.changed` carries it.
    async fn wire_documents(&self) -> Vec<contracts::product::ProductDocument> {
        let mut documents = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = self
                .client
                .get(format!("{}{}", self.address, contracts::product::PATH))
                .header(catalog::INTERNAL_TOKEN_HEADER, &self.token)
                .query(&[("limit", "100")]);
            if let Some(after) = &after {
                request = request.query(&[("after", after)]);
            }
            let page: contracts::product::ProductDocumentPage = request
                .send()
                .await
                .expect("the catalog answers")
                .error_for_status()
                .expect("a page")
                .json()
                .await
                .expect("a product page");
            documents.extend(page.products);
            match page.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        documents
    }

    async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let body: Value = request
            .send()
            .await
            .expect("the catalog answers")
            .json()
            .await
            .expect("JSON");
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }

    /// The ids the catalog's own `products(filter)` lists, all pages.
    async fn listed(&self, filter: &Value) -> HashSet<String> {
        let query = "query($filter: ProductFilter, $after: String) {
            products(filter: $filter, first: 100, after: $after) {
              nodes { id } pageInfo { hasNextPage endCursor } } }";
        let mut ids = HashSet::new();
        let mut after = Value::Null;
        loop {
            let data = self
                .graphql(query, json!({ "filter": filter, "after": after }), None)
                .await;
            let page = &data["products"];
            for node in page["nodes"].as_array().expect("nodes") {
                ids.insert(node["id"].as_str().expect("an id").to_owned());
            }
            if page["pageInfo"]["hasNextPage"] != true {
                return ids;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
    }

    fn admin_token(&self) -> String {
        let now = now_millis() / 1000;
        self.key
            .sign(&Claims {
                sub: "admin-1".into(),
                iss: ISSUER.into(),
                iat: now,
                exp: now + 900,
                scope: "customer admin".into(),
            })
            .expect("signing")
    }
}

/// A search service on `catalog`; `fill` fills it from the catalog at start.
async fn spawn_search(catalog: &LiveCatalog, fill: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut settings = settings(&dir, &catalog.address).await;
    settings.internal_token = Some(catalog.token.clone());
    settings.reindex_on_empty = fill;
    settings.broker = Some(catalog.broker.clone());
    spawn(settings, dir).await
}

/// All ids a search finds, following the cursors.
async fn all_found(app: &TestApp, variables: Value) -> (Vec<String>, Value) {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    let mut first_page = Value::Null;
    loop {
        let mut vars = variables.clone();
        vars["first"] = json!(100);
        vars["after"] = after;
        let page = app.search(vars).await.expect("a search");
        ids.extend(
            page["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].as_str().unwrap_or_default().to_owned()),
        );
        if first_page.is_null() {
            first_page = page.clone();
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return (ids, first_page);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Facets in the shape the GraphQL API returns them.
fn facets_json(facets: &Facets) -> Value {
    json!({
        "categories": facets.categories.iter().map(|c| json!({ "category": { "id": c.value }, "count": c.count })).collect::<Vec<_>>(),
        "brands": facets.brands.iter().map(|b| json!({ "brand": b.value, "count": b.count })).collect::<Vec<_>>(),
        "priceBuckets": facets.prices.iter().map(|b| json!({ "min": b.min.map(|m| m.to_string()), "max": b.max.map(|m| m.to_string()), "count": b.count })).collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn the_first_start_fills_the_index_and_facets_agree_with_the_catalogs_data() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    let active: Vec<&ProductDocument> = documents.iter().filter(|d| d.status == "ACTIVE").collect();
    assert!(active.len() >= 200, "the demo catalog has its products");

    let (ids, page) = all_found(&app, json!({})).await;
    assert_eq!(page["totalCount"], active.len());
    let expected: HashSet<&str> = active.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids.iter().map(String::as_str).collect::<HashSet<_>>(),
        expected
    );
    assert_eq!(page["facets"], facets_json(&count_facets(&active)));

    // One leaf category, counted both ways.
    let leaf = active[0].category_id.clone().expect("a category");
    let in_leaf: Vec<&ProductDocument> = active
        .iter()
        .copied()
        .filter(|d| d.all_category_ids().contains(&leaf))
        .collect();
    let (_, page) = all_found(&app, json!({ "filter": { "categoryId": leaf } })).await;
    assert_eq!(page["totalCount"], in_leaf.len());
    assert_eq!(page["facets"], facets_json(&count_facets(&in_leaf)));
}

#[tokio::test]
async fn filters_agree_with_the_catalogs_own_listing() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    // The catalog lists ancestors root first.
    let top = documents[0]
        .category_ids
        .first()
        .cloned()
        .expect("a root category");
    let dearest_in_top = documents
        .iter()
        .filter(|d| d.all_category_ids().contains(&top))
        .map(|d| d.min_price)
        .max()
        .expect("products under the root");
    let brand = documents[1].brand.clone().expect("a brand");
    let filters = [
        json!({ "categoryId": top }),
        json!({ "categoryId": documents[2].category_id }),
        json!({ "brand": brand }),
        json!({ "minPrice": 10_000, "maxPrice": 300_000 }),
        json!({ "maxPrice": 20_000, "inStock": true }),
        json!({ "categoryId": top, "minPrice": dearest_in_top }),
    ];
    for filter in filters {
        let listed = catalog.listed(&filter).await;
        let (found, _) = all_found(&app, json!({ "filter": filter })).await;
        let found: HashSet<String> = found.into_iter().collect();
        assert!(!listed.is_empty(), "{filter}: the catalog lists something");
        assert_eq!(found, listed, "{filter}");
    }
}

/// Search results compared across indexes: ids in order, totals, facets.
async fn results(app: &TestApp) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for query in [
        "手机",
        "smartphone",
        "Apple",
        "华为",
        "laptop",
        "耳机",
        "轻薄",
        "",
        "pro 256gb",
    ] {
        for sort in ["RELEVANCE", "PRICE_ASC", "NEWEST", "SALES"] {
            let page = app
                .search(json!({ "query": query, "sort": sort, "first": 100 }))
                .await
                .expect("a search");
            let summary = json!({
                "ids": page["nodes"], "total": page["totalCount"], "facets": page["facets"],
            });
            out.push((format!("{query}/{sort}"), summary));
        }
    }
    out
}

#[tokio::test]
async fn a_reindex_gives_the_same_results_as_incremental_indexing() {
    let catalog = spawn_catalog().await;
    let wire = catalog.wire_documents().await;
    let documents: Vec<ProductDocument> = wire.iter().cloned().map(Into::into).collect();

    // Incrementally: every product as the catalog's product.changed event.
    let incremental = spawn_search(&catalog, false).await;
    for document in &wire {
        let event = Event::new(
            contracts::events::product_changed::TOPIC,
            serde_json::to_value(document).expect("JSON"),
        );
        incremental
            .broker
            .publish(&event)
            .await
            .expect("publishing");
    }
    let active = documents.iter().filter(|d| d.is_searchable()).count() as u64;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while incremental.index.count().await.expect("a count") < active {
        assert!(
            std::time::Instant::now() < deadline,
            "the events were not all applied"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // In full, by the reindex command, into its own index.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut reindex_settings = settings(&dir, &catalog.address).await;
    reindex_settings.internal_token = Some(catalog.token.clone());
    let count = search::reindex(&reindex_settings)
        .await
        .expect("the reindex runs");
    assert_eq!(count, active);
    let rebuilt = spawn(reindex_settings, dir).await;

    let before = results(&incremental).await;
    let after = results(&rebuilt).await;
    for ((case, want), (_, got)) in before.iter().zip(&after) {
        assert_eq!(got, want, "{case}");
    }
    assert!(
        before
            .iter()
            .any(|(_, r)| r["total"].as_u64().unwrap_or_default() > 0)
    );
}

#[tokio::test]
async fn a_product_renamed_in_the_catalog_is_found_by_its_new_name_within_a_second() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let product = catalog.documents().await.remove(5);
    assert!(
        app.search_ids(json!({ "query": product.name }))
            .await
            .contains(&product.id)
    );
    let data = catalog
        .graphql(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }",
            json!({ "input": {
                "id": product.id,
                "name": "Quokka Explorer 旅行箱",
                "description": "A sturdy case for long trips.",
            } }),
            Some(&catalog.admin_token()),
        )
        .await;
    assert_eq!(data["updateProduct"]["errors"], json!([]));
    // The catalog's outbox relay publishes product.changed; search applies it.
    let renamed_at = std::time::Instant::now();
    loop {
        let found = app.search_ids(json!({ "query": "quokka" })).await;
        if found == [product.id.clone()] {
            break;
        }
        assert!(
            renamed_at.elapsed() < Duration::from_secs(1),
            "not found by its new name in a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let by_old = app.search_ids(json!({ "query": product.name })).await;
    assert!(!by_old.contains(&product.id), "still found by its old name");
}

/// Reservations that take a product's last stock announce `stock.changed`;
/// the index follows: out of the `inStock` filter, and back on release.
#[tokio::test]
async fn a_product_sold_out_by_reservations_leaves_the_in_stock_filter() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let product = catalog
        .documents()
        .await
        .into_iter()
        .find(|d| d.in_stock && d.status == "ACTIVE")
        .expect("a product in stock");
    let data = catalog
        .graphql(
            "query($id: ID!) { product(id: $id) { skus { id stock } } }",
            json!({ "id": product.id }),
            None,
        )
        .await;
    let lines: Vec<Value> = data["product"]["skus"]
        .as_array()
        .expect("skus")
        .iter()
        .filter(|sku| sku["stock"].as_i64() > Some(0))
        .map(|sku| json!({ "skuId": sku["id"], "quantity": sku["stock"] }))
        .collect();
    let in_stock = |wanted: bool| json!({ "query": product.name, "filter": { "inStock": wanted }, "first": 100 });
    let found_in = |wanted: bool| {
        let app = &app;
        let id = product.id.clone();
        async move {
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            loop {
                if app.search_ids(in_stock(wanted)).await.contains(&id) {
                    return;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "not found with inStock {wanted}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    found_in(true).await;

    let post = |path: &str, body: Value| {
        catalog
            .client
            .post(format!("{}{path}", catalog.address))
            .header(catalog::INTERNAL_TOKEN_HEADER, &catalog.token)
            .json(&body)
            .send()
    };
    let reserved = post(
        "/internal/stock/reserve",
        json!({ "orderId": "sell-out", "lines": lines }),
    )
    .await
    .expect("the catalog answers");
    assert_eq!(reserved.status(), 200);
    found_in(false).await;
    assert!(
        !app.search_ids(in_stock(true)).await.contains(&product.id),
        "still in stock in the index"
    );

    let released = post("/internal/stock/release", json!({ "orderId": "sell-out" }))
        .await
        .expect("the catalog answers");
    assert_eq!(released.status(), 200);
    found_in(true).await;
}

#[tokio::test]
async fn sales_from_order_events_reorder_the_sales_sort() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, true).await;
    let documents = catalog.documents().await;
    let leaf = documents[0].category_id.clone().expect("a category");
    let variables = json!({ "filter": { "categoryId": leaf }, "sort": "SALES" });
    let before = app.search_ids(variables.clone()).await;
    let last = before.last().cloned().expect("products in the category");
    // What the orders service publishes when an order is paid; the catalog
    // counts it and announces the product's new sales count.
    let paid = Event::new(
        "order.paid",
        json!({
            "orderId": uuid::Uuid::new_v4().to_string(),
            "status": "PAID",
            "items": [{ "skuId": "any", "productId": last, "quantity": 1_000_000,
                        "unitPrice": { "amount": 100, "currency": "CNY" } }],
        }),
    );
    catalog.broker.publish(&paid).await.expect("publishing");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let now = app.search_ids(variables.clone()).await;
        if now.first() == Some(&last) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sale did not reach the SALES sort: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_reindex_command_asks_the_running_service_that_holds_the_index() {
    let catalog = spawn_catalog().await;
    let app = spawn_search(&catalog, false).await;
    assert_eq!(app.index.count().await.expect("a count"), 0);
    let mut settings = app.settings.clone();
    settings.broker = None;
    if settings.elasticsearch_url.is_some() {
        // Elasticsearch has no lock to hold: the command rebuilds directly.
        settings.elasticsearch_url = None;
    }
    let count = search::reindex(&settings).await.expect("the reindex runs");
    let active = catalog
        .documents()
        .await
        .iter()
        .filter(|d| d.is_searchable())
        .count() as u64;
    assert_eq!(count, active);
    assert_eq!(app.index.count().await.expect("a count"), active);

    let response = reqwest::Client::new()
        .post(format!("{}/internal/reindex", app.address))
        .header("x-internal-token", "wrong")
        .send()
        .await
        .expect("the service answers");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn an_empty_index_fills_once_a_late_catalog_comes_up() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut search_settings = settings(&dir, &format!("http://127.0.0.1:{port}")).await;
    search_settings.reindex_on_empty = true;
    let token = format!("internal-{}", uuid::Uuid::new_v4().simple());
    search_settings.internal_token = Some(token.clone());
    let started = std::time::Instant::now();
    let app = spawn(search_settings, dir).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the build waited for the catalog"
    );
    assert_eq!(app.index.count().await.expect("a count"), 0);

    let catalog = spawn_catalog_on(port, token).await;
    let active = catalog
        .documents()
        .await
        .iter()
        .filter(|d| d.is_searchable())
        .count() as u64;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.index.count().await.expect("a count") < active {
        assert!(
            std::time::Instant::now() < deadline,
            "the index was not filled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
