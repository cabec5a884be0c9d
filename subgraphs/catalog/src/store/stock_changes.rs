//! The marks of products whose in-stock state may have changed
//! (`stock_change`), and what announcing them reads: one small upsert in a
//! stock write's transaction, the rest after it committed.

use contracts::events::stock_changed::{SkuStock, StockChanged};
use sqlx::Row;

use super::{Tx, sql::Args};

/// A product's mark as read: clearing it with the same `seq` leaves a mark
/// made since in place.
pub struct Mark {
    pub product_id: String,
    pub seq: i64,
}

/// Marks `product_id` as to be announced, inside the stock write's `tx`:
/// one upsert, no reads. A product marked already stays one row.
pub async fn mark(tx: &mut Tx, product_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO stock_change (product_id, seq) VALUES ($1, 1) \
         ON CONFLICT (product_id) DO UPDATE SET seq = stock_change.seq + 1",
    )
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Up to `limit` marks, by product id.
pub async fn marks(tx: &mut Tx, limit: i64) -> sqlx::Result<Vec<Mark>> {
    let rows = sqlx::query("SELECT product_id, seq FROM stock_change ORDER BY product_id LIMIT $1")
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Mark {
                product_id: row.try_get("product_id")?,
                seq: row.try_get("seq")?,
            })
        })
        .collect()
}

/// Clears `mark` unless the product was marked again since it was read.
pub async fn clear(tx: &mut Tx, mark: &Mark) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM stock_change WHERE product_id = $1 AND seq = $2")
        .bind(&mark.product_id)
        .bind(mark.seq)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The stock of the products `ids` as committed now: their active SKUs
/// (by id) and whether one has stock, the `inStock` of their documents.
/// A product without active SKUs is out of stock.
pub async fn stock_of(tx: &mut Tx, ids: &[String]) -> sqlx::Result<Vec<StockChanged>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let list = args.list(ids);
    let sql = format!(
        "SELECT product_id, sku_id, stock FROM sku \
         WHERE product_id IN ({list}) AND status = 'ACTIVE' ORDER BY product_id, sku_id"
    );
    let rows = args.bind(sqlx::query(&sql)).fetch_all(&mut **tx).await?;
    let mut changes: Vec<StockChanged> = ids
        .iter()
        .map(|id| StockChanged {
            product_id: id.clone(),
            in_stock: false,
            skus: Vec::new(),
        })
        .collect();
    for row in &rows {
        let product_id: String = row.try_get("product_id")?;
        let stock: i64 = row.try_get("stock")?;
        if let Some(change) = changes.iter_mut().find(|c| c.product_id == product_id) {
            change.in_stock |= stock > 0;
            change.skus.push(SkuStock {
                sku_id: row.try_get("sku_id")?,
                stock,
            });
        }
    }
    Ok(changes)
}
