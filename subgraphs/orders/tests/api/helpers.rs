//! `spawn_app`: a real catalog and the orders service on port 0, each on a
//! fresh database, sharing one signing key and internal token, on the
//! backends switched on (embedded by default), plus typed request helpers.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use futures::{SinkExt, StreamExt};
use orders::{App, PaymentCallback, SIGNATURE_HEADER, Settings, sign};
use platform::{
    auth::{JwksSource, SigningKey},
    db::now_millis,
    events::{Broker, proxy::TcpProxy},
    fanout::LocalFanout,
    testing::{
        TestEngine, amqp_url, default_engine, fresh_database_url, poll_until, post_graphql,
        redis_url, sign_token,
    },
};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

pub const WEBHOOK_SECRET: &str = "test-webhook-secret";

/// How a test wants the orders service set up.
pub struct Options {
    pub engine: TestEngine,
    pub payment_timeout: Duration,
    pub auto_confirm: bool,
    /// Connect the orders service to RabbitMQ through this URL instead
    /// (a proxy the test can cut).
    pub amqp_url: Option<String>,
    /// Connect the orders service to Redis through this URL instead.
    pub redis_url: Option<String>,
    /// Put a TCP proxy the test can cut between the orders service and
    /// the catalog (`TestApp::catalog_proxy`).
    pub catalog_proxy: bool,
    /// How long an admitted flash-sale order may stay queued before
    /// reconciliation gives up on it.
    pub flash_queue_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            engine: default_engine(),
            payment_timeout: Duration::from_secs(1800),
            auto_confirm: true,
            amqp_url: amqp_url(),
            redis_url: redis_url(),
            catalog_proxy: false,
            flash_queue_timeout: Duration::from_secs(600),
        }
    }
}

pub struct Catalog {
    pub address: String,
    pub internal_token: String,
    /// Its settings, for starting replicas on the same database.
    pub settings: catalog::Settings,
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub catalog: Catalog,
    /// The users service (address books).
    pub users_address: String,
    pub client: reqwest::Client,
    /// The broker the orders service uses (in-process), or another
    /// connection to the same RabbitMQ.
    pub broker: Arc<dyn Broker>,
    pub queue_namespace: String,
    /// Between the orders service and the catalog, when asked for.
    pub catalog_proxy: Option<TcpProxy>,
    /// The orders service's settings, for starting replicas.
    pub settings: Settings,
    key: SigningKey,
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

async fn broker_for(url: Option<&str>) -> Arc<dyn Broker> {
    platform::testing::test_broker(url)
        .await
        .expect("the test broker")
}

pub async fn spawn_with(options: Options) -> TestApp {
    platform::telemetry::init_test_tracing();
    let key = SigningKey::generate().expect("a signing key");
    let internal_token = format!("test-token-{}", uuid::Uuid::new_v4().simple());

    let catalog_settings = catalog::Settings {
        listen_addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: fresh_database_url(options.engine)
            .await
            .expect("a database"),
        redis_url: redis_url(),
        jwks: JwksSource::Static(key.jwks()),
        internal_token: internal_token.clone(),
        seed_demo: false,
        // The catalog's default: these tests start no catalog replicas.
        known_ids_sync: Duration::from_secs(2),
        amqp_url: None,
        broker: None,
        queue_namespace: format!("catalog-test-{}", uuid::Uuid::new_v4().simple()),
        outbox_poll_interval: Duration::from_millis(50),
        // This catalog does not sweep (its orders service is not up yet);
        // reservation-lease tests start a sweeping replica of it.
        orders_url: "http://127.0.0.1:4003".into(),
        reservation_grace: catalog::DEFAULT_RESERVATION_GRACE,
        reservation_sweep_interval: Duration::ZERO,
    };
    // The service's broker: in-process (shared with the catalog and the
    // test) or RabbitMQ, whose test queues expire once the test is over.
    let service_broker = broker_for(options.amqp_url.as_deref()).await;
    let test_broker = match amqp_url() {
        Some(url) => broker_for(Some(&url)).await,
        None => service_broker.clone(),
    };
    let catalog_settings = catalog::Settings {
        broker: Some(test_broker.clone()),
        ..catalog_settings
    };
    let catalog = catalog::App::build(catalog_settings.clone())
        .await
        .expect("the catalog builds");
    let catalog_address = format!("http://127.0.0.1:{}", catalog.port());
    tokio::spawn(catalog.run_until_stopped(std::future::pending()));

    // A real users service for saved shipping addresses.
    let mut users_settings = users::Settings::with_database(
        fresh_database_url(options.engine)
            .await
            .expect("a database"),
    );
    users_settings.internal_token = internal_token.clone();
    let users = users::App::build(users_settings)
        .await
        .expect("the users service builds");
    let users_address = format!("http://127.0.0.1:{}", users.port());
    tokio::spawn(users.run_until_stopped(std::future::pending()));

    let catalog_proxy = match options.catalog_proxy {
        true => Some(
            TcpProxy::start(
                catalog_address
                    .trim_start_matches("http://")
                    .parse()
                    .expect("an address"),
            )
            .await
            .expect("the catalog proxy starts"),
        ),
        false => None,
    };
    let orders_catalog_url = match &catalog_proxy {
        Some(proxy) => format!("http://{}", proxy.addr()),
        None => catalog_address.clone(),
    };
    let queue_namespace = format!("orders-test-{}", uuid::Uuid::new_v4().simple());
    let settings = Settings {
        listen_addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: fresh_database_url(options.engine)
            .await
            .expect("a database"),
        redis_url: options.redis_url.clone(),
        amqp_url: options.amqp_url.clone(),
        jwks: JwksSource::Static(key.jwks()),
        catalog_url: orders_catalog_url,
        users_url: users_address.clone(),
        internal_token: internal_token.clone(),
        payment_webhook_secret: WEBHOOK_SECRET.into(),
        payment_timeout: options.payment_timeout,
        payment_callback_tolerance: orders::DEFAULT_CALLBACK_TOLERANCE,
        payment_callback_url: None,
        sandbox_payment_delay: Duration::from_millis(100),
        sandbox_auto_confirm: options.auto_confirm,
        reconcile_interval: Duration::ZERO,
        flash_queue_timeout: options.flash_queue_timeout,
        queue_namespace: queue_namespace.clone(),
        sweep_interval: Duration::ZERO,
        sweep_grace: Duration::from_secs(60),
        outbox_poll_interval: Duration::from_millis(50),
        broker: Some(service_broker),
        // Replicas in one test process share the in-process fan-out, as the
        // services of the all-in-one process do; with Redis each connects.
        fanout: match &options.redis_url {
            Some(_) => None,
            None => Some(Arc::new(LocalFanout::default())),
        },
    };
    let app = App::build(settings.clone())
        .await
        .expect("the orders service builds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        catalog: Catalog {
            address: catalog_address,
            internal_token: internal_token.clone(),
            settings: catalog_settings,
        },
        users_address,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build()
            .expect("a client"),
        broker: test_broker,
        queue_namespace,
        catalog_proxy,
        settings,
        key,
    }
}

/// A shipping address that passes validation.
pub fn address() -> Value {
    json!({ "recipient": "张三", "phone": "+86 138 0000 0000", "line1": "1 Century Avenue",
            "city": "上海", "postalCode": "200120", "country": "CN" })
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub const ORDER_FIELDS: &str = "id number status total { amount currency } stockReleased \
    cancelReason trackingNumber items { skuId productName skuName quantity \
    unitPrice { amount currency } lineTotal { amount } product { id } } \
    shippingAddress { recipient city country } payments { id status callbacks }";

/// Another replica of the orders service, on the same database and
/// backends.
pub struct Replica {
    pub address: String,
}

impl TestApp {
    /// Starts another replica of the orders service, with `tweak` applied
    /// to its settings (a different timeout, a quick sweep, …).
    pub async fn spawn_replica(&self, tweak: impl FnOnce(&mut Settings)) -> Replica {
        let mut settings = self.settings.clone();
        tweak(&mut settings);
        let app = App::build(settings).await.expect("the replica builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Replica { address }
    }

    /// POST /graphql to `replica`; `data`, which must carry no errors.
    pub async fn replica_data(
        &self,
        replica: &Replica,
        query: &str,
        variables: Value,
        token: &str,
    ) -> Value {
        let body = self
            .post_graphql(&replica.address, query, variables, Some(token))
            .await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// A signed access token for `user_id` with `scope`.
    pub fn token(&self, user_id: &str, scope: &str) -> String {
        sign_token(&self.key, user_id, scope).expect("signing works")
    }

    pub fn admin(&self) -> String {
        self.token("admin-1", "customer admin")
    }

    pub fn customer(&self, user_id: &str) -> String {
        self.token(user_id, "customer")
    }

    async fn post_graphql(
        &self,
        base: &str,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> Value {
        post_graphql(&self.client, base, query, variables, token)
            .await
            .expect("a JSON response")
    }

    /// POST /graphql to the orders service; the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.post_graphql(&self.address, query, variables, token)
            .await
    }

    /// `data` of an orders response that must not carry errors.
    pub async fn data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self.graphql(query, variables, token).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// `data` of a catalog response that must not carry errors.
    pub async fn catalog_data(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = self
            .post_graphql(&self.catalog.address, query, variables, token)
            .await;
        assert!(
            body.get("errors").is_none(),
            "unexpected catalog errors: {body}"
        );
        body["data"].clone()
    }

    /// A catalog product with one SKU per (name, price, stock); returns
    /// (product id, SKU ids).
    pub async fn product(&self, name: &str, skus: &[(&str, i64, i64)]) -> (String, Vec<String>) {
        let admin = self.admin();
        let category = self
            .catalog_data(
                "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } errors { code } } }",
                json!({ "input": { "name": format!("cat {name}") } }),
                Some(&admin),
            )
            .await["createCategory"]["category"]["id"]
            .as_str()
            .expect("a category")
            .to_owned();
        let skus: Vec<Value> = skus
            .iter()
            .map(|(n, price, stock)| json!({ "name": n, "price": price, "stock": stock }))
            .collect();
        let data = self
            .catalog_data(
                "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id skus { id } } errors { code field message } } }",
                json!({ "input": { "categoryId": category, "name": name, "brand": "TestBrand",
                    "description": "test", "images": [], "skus": skus } }),
                Some(&admin),
            )
            .await;
        let product = &data["createProduct"]["product"];
        let id = product["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned();
        let sku_ids = product["skus"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        (id, sku_ids)
    }

    /// Changes a SKU's price in the catalog.
    pub async fn set_price(&self, sku_id: &str, price: i64) {
        let data = self
            .catalog_data(
                "mutation($input: UpdateSkuInput!) { updateSku(input: $input) { errors { code message } } }",
                json!({ "input": { "id": sku_id, "price": price } }),
                Some(&self.admin()),
            )
            .await;
        assert_eq!(data["updateSku"]["errors"], json!([]), "{data}");
    }

    /// A flash sale of `sku_id`, on now; returns its id.
    pub async fn flash_sale(
        &self,
        sku_id: &str,
        price: i64,
        quantity: i64,
        per_user: i64,
    ) -> String {
        let now = now_millis();
        let data = self
            .catalog_data(
                "mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id } errors { code message } } }",
                json!({ "input": { "skuId": sku_id, "salePrice": price, "quantity": quantity,
                    "perUserLimit": per_user, "startsAt": now - 60_000, "endsAt": now + 3_600_000 } }),
                Some(&self.admin()),
            )
            .await;
        data["createFlashSale"]["flashSale"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{data}"))
            .to_owned()
    }

    /// The catalog's sales count of a product (from its internal product
    /// documents, which the search service reads).
    pub async fn catalog_sales_count(&self, product_id: &str) -> i64 {
        let page: Value = self
            .client
            .get(format!(
                "{}/internal/products?limit=500",
                self.catalog.address
            ))
            .header(
                platform::internal::INTERNAL_TOKEN_HEADER,
                &self.catalog.internal_token,
            )
            .send()
            .await
            .expect("the request is sent")
            .json()
            .await
            .expect("JSON");
        page["products"]
            .as_array()
            .and_then(|docs| docs.iter().find(|d| d["id"] == product_id))
            .and_then(|d| d["salesCount"].as_i64())
            .unwrap_or_else(|| panic!("product {product_id} in {page}"))
    }

    /// Waits until the catalog's sales count of `product_id` is `expected`.
    pub async fn wait_for_sales_count(&self, product_id: &str, expected: i64) {
        let waited = poll_until(
            Duration::from_secs(20),
            Duration::from_millis(100),
            || self.catalog_sales_count(product_id),
            |count| *count == expected,
        )
        .await;
        if let Err(count) = waited {
            panic!("the catalog's sales count stayed {count}, expected {expected}");
        }
    }

    /// A SKU's stock as the catalog shows it.
    pub async fn stock_of(&self, product_id: &str, sku_id: &str) -> i64 {
        let data = self
            .catalog_data(
                "query($id: ID!) { product(id: $id) { skus(includeArchived: true) { id stock } } }",
                json!({ "id": product_id }),
                None,
            )
            .await;
        data["product"]["skus"]
            .as_array()
            .and_then(|skus| skus.iter().find(|s| s["id"] == sku_id))
            .and_then(|s| s["stock"].as_i64())
            .unwrap_or_else(|| panic!("SKU {sku_id} in {data}"))
    }

    /// `placeOrder` for `token`; returns the payload.
    pub async fn place_order(&self, token: &str, input: Value) -> Value {
        self.place_order_at(&self.address, token, input).await
    }

    /// `placeOrder` for `token` at the replica serving `base`.
    pub async fn place_order_at(&self, base: &str, token: &str, input: Value) -> Value {
        let body = self
            .post_graphql(
                base,
                &format!("mutation($input: PlaceOrderInput!) {{ placeOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} placement {{ orderId status }} errors {{ code field message }} }} }}"),
                json!({ "input": input }),
                Some(token),
            )
            .await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"]["placeOrder"].clone()
    }

    /// Polls `orderPlacement` until the checkout of `order_id` is no
    /// longer queued; returns the placement.
    pub async fn wait_until_placed(&self, token: &str, order_id: &str) -> Value {
        self.wait_until_placed_at(&self.address, token, order_id)
            .await
    }

    /// Like [`TestApp::wait_until_placed`], asking the replica at `base`.
    pub async fn wait_until_placed_at(&self, base: &str, token: &str, order_id: &str) -> Value {
        let within = Duration::from_secs(30);
        poll_until(
            within,
            Duration::from_millis(50),
            || async {
                let body = self.post_graphql(
                    base,
                    &format!("query($id: ID!) {{ orderPlacement(orderId: $id) {{ orderId status order {{ {ORDER_FIELDS} }} error {{ code message }} }} }}"),
                    json!({ "id": order_id }),
                    Some(token),
                )
                .await;
                assert!(body.get("errors").is_none(), "unexpected errors: {body}");
                body["data"]["orderPlacement"].clone()
            },
            |placement| placement["status"] != "QUEUED",
        )
        .await
        .unwrap_or_else(|placement| panic!("still queued after {within:?}: {placement}"))
    }

    /// Places an order of `lines` ((sku, quantity)) and returns the order.
    pub async fn order_of(&self, token: &str, lines: &[(&str, i64)]) -> Value {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(sku, q)| json!({ "skuId": sku, "quantity": q }))
            .collect();
        let payload = self
            .place_order(
                token,
                json!({ "lines": lines, "shippingAddress": address(), "idempotencyKey": new_key() }),
            )
            .await;
        assert_eq!(payload["errors"], json!([]), "{payload}");
        payload["order"].clone()
    }

    /// One order as `token` sees it.
    pub async fn order(&self, token: &str, id: &str) -> Value {
        self.data(
            &format!("query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"),
            json!({ "id": id }),
            Some(token),
        )
        .await["order"]
            .clone()
    }

    /// Runs a transition mutation (`cancelOrder`, `shipOrder`, …) on the
    /// order in variable `$id` and returns its payload.
    pub async fn transition(
        &self,
        token: &str,
        mutation: &str,
        args: &str,
        variables: Value,
    ) -> Value {
        let data = self
            .data(
                &format!("mutation($id: ID!) {{ {mutation}({args}) {{ order {{ id status }} errors {{ code message }} }} }}"),
                variables,
                Some(token),
            )
            .await;
        data[mutation].clone()
    }

    /// `payOrder` and the payment it started.
    pub async fn pay(&self, token: &str, order_id: &str) -> Value {
        let data = self
            .data(
                "mutation($id: ID!, $key: String!) { payOrder(orderId: $id, method: CARD, idempotencyKey: $key) { payment { id status amount { amount currency } orderId } errors { code message } } }",
                json!({ "id": order_id, "key": new_key() }),
                Some(token),
            )
            .await;
        assert_eq!(data["payOrder"]["errors"], json!([]), "{data}");
        data["payOrder"]["payment"].clone()
    }

    /// Sends a payment callback signed with `secret` now; the HTTP status.
    pub async fn callback(&self, callback: &PaymentCallback, secret: &str) -> u16 {
        self.callback_signed_at(callback, secret, now_millis() / 1000)
            .await
            .0
    }

    /// Sends a payment callback signed with `secret` as at `unix_seconds`;
    /// the HTTP status and the JSON answer.
    pub async fn callback_signed_at(
        &self,
        callback: &PaymentCallback,
        secret: &str,
        unix_seconds: i64,
    ) -> (u16, Value) {
        let body = serde_json::to_vec(callback).expect("JSON");
        let response = self
            .client
            .post(format!("{}/payments/callback", self.address))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, sign(secret, unix_seconds, &body))
            .body(body)
            .send()
            .await
            .expect("the callback is sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Polls `order` until `done` holds (or fails after `within`).
    pub async fn wait_for_order(
        &self,
        token: &str,
        id: &str,
        within: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        poll_until(
            within,
            Duration::from_millis(50),
            || self.order(token, id),
            done,
        )
        .await
        .unwrap_or_else(|order| panic!("the order did not get there in {within:?}: {order}"))
    }

    /// Subscribes to `orderStatusChanged` and waits for its first message
    /// (the current status), so the subscription is live when this returns.
    pub async fn subscribe_status(&self, token: &str, order_id: &str) -> Subscriber {
        let mut subscriber = self.subscribe_raw(token, order_id).await;
        let first = subscriber.next_status().await;
        assert!(first["previousStatus"].is_null(), "{first}");
        assert!(first["status"].is_string(), "{first}");
        subscriber
    }

    /// Opens a graphql-transport-ws subscription to `orderStatusChanged`.
    pub async fn subscribe_raw(&self, token: &str, order_id: &str) -> Subscriber {
        let mut request = format!("ws://127.0.0.1:{}/graphql", self.port)
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("a header"),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket connects");
        let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .expect("init sent");
        let mut subscriber = Subscriber { socket };
        let ack = subscriber.next_message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus changedAt } }",
            "variables": { "id": order_id } } });
        subscriber
            .socket
            .send(Message::Text(subscribe.to_string().into()))
            .await
            .expect("subscribe sent");
        subscriber
    }
}

pub struct Subscriber {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Subscriber {
    /// The next JSON message (pings skipped).
    pub async fn next_message(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(15), self.socket.next())
                .await
                .expect("a message in time")
                .expect("the socket is open")
                .expect("a frame");
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    if value["type"] == "ping" {
                        continue;
                    }
                    return value;
                }
                Message::Close(frame) => panic!("the socket closed: {frame:?}"),
                _ => continue,
            }
        }
    }

    /// The next `orderStatusChanged` status.
    pub async fn next_status(&mut self) -> Value {
        let message = self.next_message().await;
        assert_eq!(message["type"], "next", "{message}");
        message["payload"]["data"]["orderStatusChanged"].clone()
    }
}

/// Rewrites `url`'s host:port to `addr`; returns it and the original address.
pub fn through_proxy(url: &str, addr: SocketAddr) -> (String, SocketAddr) {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (auth, rest) = rest.rsplit_once('@').map_or(("", rest), |(a, r)| (a, r));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let upstream: SocketAddr = host
        .replace("localhost", "127.0.0.1")
        .parse()
        .expect("the URL names an IP address and port");
    let at = if auth.is_empty() {
        String::new()
    } else {
        format!("{auth}@")
    };
    (format!("{scheme}://{at}{addr}/{path}"), upstream)
}
