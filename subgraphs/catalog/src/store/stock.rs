//! Stock reservations for orders: all lines or none, once per order id, and
//! released exactly once.

use std::collections::HashSet;

use platform::db::now_millis;
use sqlx::Row;

use super::{Catalog, sql::Args};
use crate::internal_api::{Amount, ReserveLine, ReservedLine};

#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("{0}")]
    BadRequest(String),
    #[error("unknown SKU {0}")]
    UnknownSku(String),
    #[error("not enough stock of SKU {0}")]
    OutOfStock(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ReserveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(e).context("reserving stock"))
    }
}

pub struct ReserveOutcome {
    pub lines: Vec<ReservedLine>,
    /// False when the order had reserved before and this is a repeat.
    pub newly_reserved: bool,
}

/// The most lines one reservation may hold.
const MAX_LINES: usize = 200;

fn check(order_id: &str, lines: &[ReserveLine]) -> Result<(), ReserveError> {
    let bad = |m: &str| Err(ReserveError::BadRequest(m.to_owned()));
    if order_id.trim().is_empty() || order_id.len() > 100 {
        return bad("orderId must be 1 to 100 characters");
    }
    if lines.is_empty() || lines.len() > MAX_LINES {
        return bad("a reservation has 1 to 200 lines");
    }
    let mut seen = HashSet::new();
    for line in lines {
        if line.quantity <= 0 {
            return bad("every quantity must be positive");
        }
        if line.quantity > 1_000_000 {
            return bad("a quantity is at most 1000000");
        }
        if !seen.insert(line.sku_id.as_str()) {
            return bad("each SKU may appear once per reservation");
        }
    }
    Ok(())
}

impl Catalog {
    /// Reserves every line for `order_id` in one write transaction: each
    /// line is a conditional decrement, and any shortfall rolls all back.
    /// A repeat for the same order id returns the first reservation's lines.
    pub async fn reserve_stock(
        &self,
        order_id: &str,
        lines: &[ReserveLine],
    ) -> Result<ReserveOutcome, ReserveError> {
        check(order_id, lines)?;
        let mut tx = self.db.begin_write().await?;
        let claimed = sqlx::query(
            "INSERT INTO stock_reservation (order_id, state, lines, created_at) \
             VALUES ($1, 'RESERVED', '[]', $2) ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(order_id)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            let row = sqlx::query("SELECT lines FROM stock_reservation WHERE order_id = $1")
                .bind(order_id)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            let stored: String = row.try_get("lines")?;
            let lines = serde_json::from_str(&stored).map_err(anyhow::Error::from)?;
            return Ok(ReserveOutcome {
                lines,
                newly_reserved: false,
            });
        }

        // Names and prices of every SKU, for the snapshot, in one statement.
        let ids: Vec<String> = lines.iter().map(|l| l.sku_id.clone()).collect();
        let mut args = Args::default();
        let list = args.list(&ids);
        let sql = format!(
            "SELECT s.sku_id, s.product_id, p.name AS product_name, s.name AS sku_name, s.price, s.currency \
             FROM sku s JOIN product p ON p.product_id = s.product_id \
             WHERE s.sku_id IN ({list}) AND s.status = 'ACTIVE' AND p.status = 'ACTIVE'"
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&mut *tx).await?;
        let mut reserved = Vec::with_capacity(lines.len());
        for line in lines {
            let Some(row) = rows.iter().find(|r| {
                r.try_get::<String, _>("sku_id")
                    .is_ok_and(|id| id == line.sku_id)
            }) else {
                return Err(ReserveError::UnknownSku(line.sku_id.clone()));
            };
            reserved.push(ReservedLine {
                sku_id: line.sku_id.clone(),
                product_id: row.try_get("product_id")?,
                product_name: row.try_get("product_name")?,
                sku_name: row.try_get("sku_name")?,
                unit_price: Amount {
                    amount: row.try_get("price")?,
                    currency: row.try_get("currency")?,
                },
                quantity: line.quantity,
            });
        }

        // Decrement in SKU order, so concurrent reservations on PostgreSQL
        // take row locks in one order and cannot deadlock.
        let mut order: Vec<&ReserveLine> = lines.iter().collect();
        order.sort_by(|a, b| a.sku_id.cmp(&b.sku_id));
        let now = now_millis();
        for line in order {
            let done = sqlx::query(
                "UPDATE sku SET stock = stock - $1, updated_at = $2 WHERE sku_id = $3 AND stock >= $1",
            )
            .bind(line.quantity)
            .bind(now)
            .bind(&line.sku_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                // Dropping the transaction rolls back every decrement and the claim.
                return Err(ReserveError::OutOfStock(line.sku_id.clone()));
            }
        }
        sqlx::query("UPDATE stock_reservation SET lines = $1 WHERE order_id = $2")
            .bind(serde_json::to_string(&reserved).map_err(anyhow::Error::from)?)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        self.commit_product_changes(tx, &product_ids(&reserved))
            .await?;
        Ok(ReserveOutcome {
            lines: reserved,
            newly_reserved: true,
        })
    }

    /// Gives an order's reserved stock back, once: the RESERVED → RELEASED
    /// change is conditional and in the same transaction as the increments.
    pub async fn release_stock(&self, order_id: &str) -> anyhow::Result<bool> {
        let mut tx = self.db.begin_write().await?;
        let row = sqlx::query(
            "UPDATE stock_reservation SET state = 'RELEASED', released_at = $1 \
             WHERE order_id = $2 AND state = 'RESERVED' RETURNING lines",
        )
        .bind(now_millis())
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let lines: Vec<ReservedLine> = serde_json::from_str(&row.try_get::<String, _>("lines")?)?;
        let mut order: Vec<&ReservedLine> = lines.iter().collect();
        order.sort_by(|a, b| a.sku_id.cmp(&b.sku_id));
        let now = now_millis();
        for line in order {
            sqlx::query("UPDATE sku SET stock = stock + $1, updated_at = $2 WHERE sku_id = $3")
                .bind(line.quantity)
                .bind(now)
                .bind(&line.sku_id)
                .execute(&mut *tx)
                .await?;
        }
        self.commit_product_changes(tx, &product_ids(&lines))
            .await?;
        Ok(true)
    }
}

/// The distinct products of some reserved lines.
fn product_ids(lines: &[ReservedLine]) -> Vec<String> {
    let mut ids: Vec<String> = lines.iter().map(|l| l.product_id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}
