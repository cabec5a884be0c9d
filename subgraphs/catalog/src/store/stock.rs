//! Stock reservations for orders: all lines or none, once per order id, and
//! released exactly once.

use std::collections::HashSet;

use contracts::{
    Amount,
    stock::{ReserveLine, ReservedLine},
};
use platform::db::now_millis;
use sqlx::Row;

use super::{Catalog, sql::Args};

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
    pub claim: Claim,
}

/// How a reservation request came to hold its stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The order's first reservation: the stock was taken now.
    New,
    /// The order's reservation had been released: the stock was taken again.
    Again,
    /// A repeat while the reservation is held: nothing was taken.
    Held,
}

/// Makes the order's reservation RESERVED in `tx`, if this call is the one
/// to take its stock: a new row, or a RELEASED row flipped back (its lease
/// restarting). Both are conditional writes, so on PostgreSQL a concurrent
/// repeat waits on the row and then finds it RESERVED, and no two calls
/// take the stock for one order. `None`: the reservation is held already.
async fn claim(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order_id: &str,
    now: i64,
) -> sqlx::Result<Option<Claim>> {
    let inserted = sqlx::query(
        "INSERT INTO stock_reservation (order_id, state, lines, created_at, reserved_at) \
         VALUES ($1, 'RESERVED', '[]', $2, $2) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Some(Claim::New));
    }
    let again = sqlx::query(
        "UPDATE stock_reservation SET state = 'RESERVED', reserved_at = $1, released_at = NULL \
         WHERE order_id = $2 AND state = 'RELEASED'",
    )
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok((again.rows_affected() == 1).then_some(Claim::Again))
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
    ///
    /// A repeat while the reservation is held returns its lines and takes
    /// nothing. A repeat after it was released takes the stock again, with
    /// the same checks as a first reservation, or is refused like one. It
    /// never answers with stock it does not hold: checkout releases a
    /// reservation whenever storing the order fails (a database timeout
    /// too), and the client's retry with the same idempotency key comes
    /// back with the same order id (it is derived from the key), as does a
    /// redelivered flash-sale placement. Re-taking keeps that retry
    /// working; refusing it would fail every retry of the key for good.
    pub async fn reserve_stock(
        &self,
        order_id: &str,
        lines: &[ReserveLine],
    ) -> Result<ReserveOutcome, ReserveError> {
        check(order_id, lines)?;
        let mut tx = self.db.begin_write().await?;
        let now = now_millis();
        let claimed = match claim(&mut tx, order_id, now).await? {
            Some(claim) => claim,
            None => {
                let row = sqlx::query("SELECT lines FROM stock_reservation WHERE order_id = $1")
                    .bind(order_id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                let stored: String = row.try_get("lines")?;
                let lines = serde_json::from_str(&stored).map_err(anyhow::Error::from)?;
                return Ok(ReserveOutcome {
                    lines,
                    claim: Claim::Held,
                });
            }
        };

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
                // Dropping the transaction rolls back every decrement and
                // the claim (a released reservation stays released).
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
            claim: claimed,
        })
    }

    /// Gives an order's reserved stock back, once: the RESERVED → RELEASED
    /// change is conditional and in the same transaction as the increments.
    pub async fn release_stock(&self, order_id: &str) -> anyhow::Result<bool> {
        self.release_held(order_id, None).await
    }

    /// [`Self::release_stock`]; with `reserved_at`, only while the
    /// reservation is still the hold that began then, so one taken again
    /// since (a new lease) is left alone. The sweeper releases through
    /// here: it and every other release share the one conditional change,
    /// and two releases at once (two sweeper replicas, a sweeper and the
    /// orders service) give the stock back once.
    pub(super) async fn release_held(
        &self,
        order_id: &str,
        reserved_at: Option<i64>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.db.begin_write().await?;
        let sql = match reserved_at {
            None => {
                "UPDATE stock_reservation SET state = 'RELEASED', released_at = $1 \
                 WHERE order_id = $2 AND state = 'RESERVED' RETURNING lines"
            }
            Some(_) => {
                "UPDATE stock_reservation SET state = 'RELEASED', released_at = $1 \
                 WHERE order_id = $2 AND state = 'RESERVED' AND reserved_at = $3 RETURNING lines"
            }
        };
        let mut release = sqlx::query(sql).bind(now_millis()).bind(order_id);
        if let Some(reserved_at) = reserved_at {
            release = release.bind(reserved_at);
        }
        let Some(row) = release.fetch_optional(&mut *tx).await? else {
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
