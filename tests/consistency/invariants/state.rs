//! The shop's state as the catalog's and orders' databases hold it, read
//! directly (not through the proxies) once the shop is quiet.

use std::collections::BTreeMap;

use platform::db::Db;

use crate::shop::Shop;

pub(super) struct Order {
    pub(super) status: String,
    pub(super) user_id: String,
    pub(super) flash_sale_id: Option<String>,
    pub(super) paid_at: Option<i64>,
    /// (SKU, units)
    pub(super) items: Vec<(String, i64)>,
}

pub(super) struct State {
    pub(super) stock: BTreeMap<String, i64>,
    /// order id → state
    pub(super) reservations: BTreeMap<String, String>,
    pub(super) orders: BTreeMap<String, Order>,
    /// order id → statuses of its payments
    pub(super) payments: BTreeMap<String, Vec<String>>,
    /// sale id → (quantity, per-user limit)
    pub(super) flash_sales: BTreeMap<String, (i64, i64)>,
    /// Unpublished outbox rows: (topic, attempts, next attempt in ms from
    /// now, claim lease left in ms).
    pub(super) catalog_outbox: Vec<(String, i64, i64, i64)>,
    pub(super) orders_outbox: Vec<(String, i64, i64, i64)>,
}

pub(super) async fn read(shop: &Shop) -> anyhow::Result<State> {
    let catalog = Db::connect(&shop.backends.catalog_db).await?;
    let orders_db = Db::connect(&shop.backends.orders_db).await?;
    let stock = sqlx::query_as::<_, (String, i64)>("SELECT sku_id, stock FROM sku")
        .fetch_all(catalog.pool())
        .await?
        .into_iter()
        .collect();
    let reservations =
        sqlx::query_as::<_, (String, String)>("SELECT order_id, state FROM stock_reservation")
            .fetch_all(catalog.pool())
            .await?
            .into_iter()
            .collect();
    let flash_sales = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT flash_sale_id, quantity, per_user_limit FROM flash_sale",
    )
    .fetch_all(catalog.pool())
    .await?
    .into_iter()
    .map(|(id, quantity, limit)| (id, (quantity, limit)))
    .collect();
    let now = platform::db::now_millis();
    let unpublished = "SELECT topic, attempts, next_attempt_at - $1, claimed_until - $1 \
        FROM outbox WHERE published_at IS NULL";
    let catalog_outbox = sqlx::query_as::<_, (String, i64, i64, i64)>(unpublished)
        .bind(now)
        .fetch_all(catalog.pool())
        .await?;
    let orders_outbox = sqlx::query_as::<_, (String, i64, i64, i64)>(unpublished)
        .bind(now)
        .fetch_all(orders_db.pool())
        .await?;
    let mut orders: BTreeMap<String, Order> = BTreeMap::new();
    let rows = sqlx::query_as::<_, (String, String, String, String, Option<i64>)>(
        "SELECT order_id, status, user_id, COALESCE(flash_sale_id, ''), paid_at FROM customer_order",
    )
    .fetch_all(orders_db.pool())
    .await?;
    for (id, status, user_id, sale, paid_at) in rows {
        orders.insert(
            id,
            Order {
                status,
                user_id,
                flash_sale_id: (!sale.is_empty()).then_some(sale),
                paid_at,
                items: Vec::new(),
            },
        );
    }
    let items = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT order_id, sku_id, quantity FROM order_item",
    )
    .fetch_all(orders_db.pool())
    .await?;
    for (order_id, sku, quantity) in items {
        if let Some(order) = orders.get_mut(&order_id) {
            order.items.push((sku, quantity));
        }
    }
    let mut payments: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (order_id, status) in
        sqlx::query_as::<_, (String, String)>("SELECT order_id, status FROM payment")
            .fetch_all(orders_db.pool())
            .await?
    {
        payments.entry(order_id).or_default().push(status);
    }
    catalog.pool().close().await;
    orders_db.pool().close().await;
    Ok(State {
        stock,
        reservations,
        orders,
        payments,
        flash_sales,
        catalog_outbox,
        orders_outbox,
    })
}

/// A SKU's stock as the catalog's database holds it (no cache between).
pub async fn stock_in_database(shop: &Shop, sku_id: &str) -> i64 {
    let catalog = Db::connect(&shop.backends.catalog_db)
        .await
        .expect("the catalog database");
    let (stock,) = sqlx::query_as::<_, (i64,)>("SELECT stock FROM sku WHERE sku_id = $1")
        .bind(sku_id)
        .fetch_one(catalog.pool())
        .await
        .expect("the SKU's stock");
    catalog.pool().close().await;
    stock
}
