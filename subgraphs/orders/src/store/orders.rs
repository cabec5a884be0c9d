//! Orders and their items: insert at checkout, conditional state updates,
//! and the buyer's and administrators' listings.

use platform::db::placeholders;
use sqlx::{AnyConnection, AnyPool};

use super::rows::{ITEM_COLUMNS, ItemRow, ORDER_COLUMNS, OrderRow};
use crate::domain::{OrderStatus, ShippingAddress, Transition};

pub async fn find(pool: &AnyPool, order_id: &str) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM customer_order WHERE order_id = $1"
    ))
    .bind(order_id)
    .fetch_optional(pool)
    .await
}

/// Like [`find`], inside a transaction.
pub async fn find_in(conn: &mut AnyConnection, order_id: &str) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM customer_order WHERE order_id = $1"
    ))
    .bind(order_id)
    .fetch_optional(conn)
    .await
}

pub async fn find_many(pool: &AnyPool, ids: &[String]) -> sqlx::Result<Vec<OrderRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ORDER_COLUMNS} FROM customer_order WHERE order_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// The order `user_id` placed with `key`, if any.
pub async fn find_by_key(
    pool: &AnyPool,
    user_id: &str,
    key: &str,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM customer_order WHERE user_id = $1 AND idempotency_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(pool)
    .await
}

pub async fn items_of(pool: &AnyPool, order_ids: &[String]) -> sqlx::Result<Vec<ItemRow>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM order_item WHERE order_id IN ({}) ORDER BY order_id, position",
        placeholders(1, order_ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in order_ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

pub async fn items_in(conn: &mut AnyConnection, order_id: &str) -> sqlx::Result<Vec<ItemRow>> {
    sqlx::query_as(&format!(
        "SELECT {ITEM_COLUMNS} FROM order_item WHERE order_id = $1 ORDER BY position"
    ))
    .bind(order_id)
    .fetch_all(conn)
    .await
}

/// A new order as checkout assembled it.
pub struct NewOrder<'a> {
    pub order_id: &'a str,
    pub order_number: &'a str,
    pub user_id: &'a str,
    pub idempotency_key: &'a str,
    pub flash_sale_id: Option<&'a str>,
    pub total_amount: i64,
    pub currency: &'a str,
    pub address: &'a ShippingAddress,
    pub items: &'a [ItemRow],
    pub now: i64,
    pub payment_deadline: i64,
}

pub async fn insert(conn: &mut AnyConnection, order: &NewOrder<'_>) -> sqlx::Result<()> {
    let a = order.address;
    sqlx::query(
        "INSERT INTO customer_order (order_id, order_number, user_id, status, idempotency_key, \
         flash_sale_id, total_amount, currency, recipient, phone, line1, line2, city, \
         postal_code, country, payment_deadline, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
    )
    .bind(order.order_id)
    .bind(order.order_number)
    .bind(order.user_id)
    .bind(OrderStatus::PendingPayment.as_str())
    .bind(order.idempotency_key)
    .bind(order.flash_sale_id)
    .bind(order.total_amount)
    .bind(order.currency)
    .bind(&a.recipient)
    .bind(&a.phone)
    .bind(&a.line1)
    .bind(a.line2.as_deref())
    .bind(&a.city)
    .bind(&a.postal_code)
    .bind(&a.country)
    .bind(order.payment_deadline)
    .bind(order.now)
    .execute(&mut *conn)
    .await?;
    for item in order.items {
        sqlx::query(
            "INSERT INTO order_item (order_id, position, sku_id, product_id, product_name, \
             sku_name, unit_price, currency, quantity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&item.order_id)
        .bind(item.position)
        .bind(&item.sku_id)
        .bind(&item.product_id)
        .bind(&item.product_name)
        .bind(&item.sku_name)
        .bind(item.unit_price)
        .bind(&item.currency)
        .bind(item.quantity)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What a transition records besides the new state.
#[derive(Default)]
pub struct TransitionDetails {
    pub tracking_number: Option<String>,
    pub reason: Option<String>,
}

/// Applies `transition` to `order` if it is still in the state it was read
/// in: one conditional `UPDATE`, so of two racing transitions (a payment and
/// a timeout, or a message delivered twice) exactly one wins. Returns the
/// new state, or `None` when the order had moved on.
pub async fn transition(
    conn: &mut AnyConnection,
    order: &OrderRow,
    transition: Transition,
    details: &TransitionDetails,
    now: i64,
) -> sqlx::Result<Option<OrderStatus>> {
    let current = order.status();
    if !transition.from().contains(&current) {
        return Ok(None);
    }
    let previous = order
        .refund_from_status
        .as_deref()
        .and_then(OrderStatus::parse);
    let next = transition.to(previous);
    let (tracking, cancel_reason, refund_reason, refund_from, paid_at) = match transition {
        Transition::Ship => (details.tracking_number.clone(), None, None, None, None),
        Transition::Cancel | Transition::Expire => (None, details.reason.clone(), None, None, None),
        Transition::RequestRefund => (
            None,
            None,
            details.reason.clone(),
            Some(current.as_str().to_owned()),
            None,
        ),
        Transition::Pay => (None, None, None, None, Some(now)),
        _ => (None, None, None, None, None),
    };
    let updated = sqlx::query(
        "UPDATE customer_order SET status = $1, updated_at = $2, \
         tracking_number = COALESCE($3, tracking_number), \
         cancel_reason = COALESCE($4, cancel_reason), \
         refund_reason = COALESCE($5, refund_reason), \
         refund_from_status = COALESCE($6, refund_from_status), \
         paid_at = COALESCE($7, paid_at) \
         WHERE order_id = $8 AND status = $9",
    )
    .bind(next.as_str())
    .bind(now)
    .bind(tracking)
    .bind(cancel_reason)
    .bind(refund_reason)
    .bind(refund_from)
    .bind(paid_at)
    .bind(&order.order_id)
    .bind(current.as_str())
    .execute(conn)
    .await?;
    Ok((updated.rows_affected() == 1).then_some(next))
}

/// Records that the order's stock went back to the catalog; true only for
/// the first call per order.
pub async fn mark_stock_released(pool: &AnyPool, order_id: &str, now: i64) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE customer_order SET stock_released_at = $1 \
         WHERE order_id = $2 AND stock_released_at IS NULL",
    )
    .bind(now)
    .bind(order_id)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Unpaid orders placed before `before`, oldest first.
pub async fn overdue_unpaid(pool: &AnyPool, before: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT order_id FROM customer_order WHERE status = 'PENDING_PAYMENT' \
         AND payment_deadline < $1 ORDER BY payment_deadline LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Orders whose units are back on sale (`domain::back_on_sale`: cancelled,
/// refunded before shipping, returned), last changed before `before`, whose
/// stock has not gone back to the catalog.
pub async fn unreleased(pool: &AnyPool, before: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT order_id FROM customer_order WHERE (status IN ('CANCELLED', 'RETURNED') \
         OR (status = 'REFUNDED' AND refund_from_status NOT IN ('SHIPPED', 'DELIVERED'))) \
         AND stock_released_at IS NULL AND updated_at < $1 ORDER BY updated_at LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Which orders a listing shows.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub user_id: Option<String>,
    pub status: Option<OrderStatus>,
    pub order_number: Option<String>,
}

impl OrderFilter {
    /// The orders of `user_id` (in `status`, if given): a buyer's own
    /// listing, and a `User`'s.
    pub fn of_user(user_id: String, status: Option<OrderStatus>) -> Self {
        Self {
            user_id: Some(user_id),
            status,
            order_number: None,
        }
    }
}

/// A position in a listing (newest first): the last row's creation time and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub created_at: i64,
    pub order_id: String,
}

/// Up to `limit` orders matching `filter`, newest first, after `after`.
pub async fn list(
    pool: &AnyPool,
    filter: &OrderFilter,
    after: Option<&ListCursor>,
    limit: i64,
) -> sqlx::Result<Vec<OrderRow>> {
    let mut conditions = Vec::new();
    let mut values: Vec<String> = Vec::new();
    if let Some(user) = &filter.user_id {
        values.push(user.clone());
        conditions.push(format!("user_id = ${}", values.len()));
    }
    if let Some(status) = filter.status {
        values.push(status.as_str().to_owned());
        conditions.push(format!("status = ${}", values.len()));
    }
    if let Some(number) = &filter.order_number {
        values.push(number.clone());
        conditions.push(format!("order_number = ${}", values.len()));
    }
    let mut sql = format!("SELECT {ORDER_COLUMNS} FROM customer_order WHERE 1 = 1");
    for condition in &conditions {
        sql.push_str(" AND ");
        sql.push_str(condition);
    }
    let n = values.len();
    if after.is_some() {
        sql.push_str(&format!(
            " AND (created_at < ${a} OR (created_at = ${a} AND order_id < ${b}))",
            a = n + 1,
            b = n + 2
        ));
    }
    let limit_at = if after.is_some() { n + 3 } else { n + 1 };
    sql.push_str(&format!(
        " ORDER BY created_at DESC, order_id DESC LIMIT ${limit_at}"
    ));
    let mut query = sqlx::query_as(&sql);
    for value in values {
        query = query.bind(value);
    }
    if let Some(cursor) = after {
        query = query.bind(cursor.created_at).bind(cursor.order_id.clone());
    }
    query.bind(limit).fetch_all(pool).await
}

/// How many of `user_id`'s orders are in each state.
pub async fn counts(pool: &AnyPool, user_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT status, COUNT(*) FROM customer_order WHERE user_id = $1 GROUP BY status")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// Units sold per product: items of orders in a sold state.
pub async fn sales_counts(
    pool: &AnyPool,
    product_ids: &[String],
) -> sqlx::Result<Vec<(String, i64)>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sold: Vec<String> = OrderStatus::ALL
        .into_iter()
        .filter(|s| s.is_sold())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let sql = format!(
        "SELECT i.product_id, CAST(SUM(i.quantity) AS BIGINT) FROM order_item i \
         JOIN customer_order o ON o.order_id = i.order_id \
         WHERE i.product_id IN ({}) AND o.status IN ({}) GROUP BY i.product_id",
        placeholders(1, product_ids.len()),
        sold.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in product_ids {
        query = query.bind(id);
    }
    query.fetch_all(pool).await
}

/// Units of flash sale `sale_id` held per buyer by orders whose stock has
/// not gone back: what the counters should say. A cancelled order holds
/// its units until its stock is released, because that is when they are
/// given back to the counters (`release_stock`); counting them free
/// before then let a rebuild or a repair count them once and the give-back
/// a second time, and the consistency suite saw a sale sell 16 of 15.
pub async fn flash_sale_holdings(
    pool: &AnyPool,
    sale_id: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT o.user_id, CAST(SUM(i.quantity) AS BIGINT) FROM customer_order o \
         JOIN order_item i ON i.order_id = o.order_id \
         WHERE o.flash_sale_id = $1 AND o.stock_released_at IS NULL \
         GROUP BY o.user_id",
    )
    .bind(sale_id)
    .fetch_all(pool)
    .await
}
