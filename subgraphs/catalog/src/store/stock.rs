//! The statements of stock reservations (`service::stock` holds their
//! rules): the reservation row of an order and the snapshot of its SKUs.
//! The stock itself moves through `skus::add_stock`, the one conditional
//! update of a SKU's stock.

use contracts::{Amount, stock::ReservedLine};
use sqlx::Row;

use super::{Tx, sql::Args};

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
pub async fn claim(tx: &mut Tx, order_id: &str, now: i64) -> sqlx::Result<Option<Claim>> {
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

/// The lines an order's reservation holds.
pub async fn reserved_lines(tx: &mut Tx, order_id: &str) -> anyhow::Result<Vec<ReservedLine>> {
    let row = sqlx::query("SELECT lines FROM stock_reservation WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    let stored: String = row.try_get("lines")?;
    Ok(serde_json::from_str(&stored)?)
}

/// Writes the lines an order's reservation holds.
pub async fn set_reserved_lines(
    tx: &mut Tx,
    order_id: &str,
    lines: &[ReservedLine],
) -> anyhow::Result<()> {
    sqlx::query("UPDATE stock_reservation SET lines = $1 WHERE order_id = $2")
        .bind(serde_json::to_string(lines)?)
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a reservation line records of its SKU at the time.
pub struct SkuSnapshot {
    pub sku_id: String,
    pub product_id: String,
    pub product_name: String,
    pub sku_name: String,
    pub unit_price: Amount,
}

/// Names and prices of the active SKUs (of active products) among `ids`,
/// in one statement.
pub async fn active_snapshots(tx: &mut Tx, ids: &[String]) -> sqlx::Result<Vec<SkuSnapshot>> {
    let mut args = Args::default();
    let list = args.list(ids);
    let sql = format!(
        "SELECT s.sku_id, s.product_id, p.name AS product_name, s.name AS sku_name, s.price, s.currency \
         FROM sku s JOIN product p ON p.product_id = s.product_id \
         WHERE s.sku_id IN ({list}) AND s.status = 'ACTIVE' AND p.status = 'ACTIVE'"
    );
    let rows = args.bind(sqlx::query(&sql)).fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| {
            Ok(SkuSnapshot {
                sku_id: row.try_get("sku_id")?,
                product_id: row.try_get("product_id")?,
                product_name: row.try_get("product_name")?,
                sku_name: row.try_get("sku_name")?,
                unit_price: Amount {
                    amount: row.try_get("price")?,
                    currency: row.try_get("currency")?,
                },
            })
        })
        .collect()
}

/// Flips an order's reservation RESERVED → RELEASED, conditionally (with
/// `reserved_at`, only while it is the hold that began then) and returns
/// the lines it held; `None` when there was nothing to release.
pub async fn release(
    tx: &mut Tx,
    order_id: &str,
    reserved_at: Option<i64>,
    now: i64,
) -> anyhow::Result<Option<Vec<ReservedLine>>> {
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
    let mut release = sqlx::query(sql).bind(now).bind(order_id);
    if let Some(reserved_at) = reserved_at {
        release = release.bind(reserved_at);
    }
    let Some(row) = release.fetch_optional(&mut **tx).await? else {
        return Ok(None);
    };
    Ok(Some(serde_json::from_str(
        &row.try_get::<String, _>("lines")?,
    )?))
}
