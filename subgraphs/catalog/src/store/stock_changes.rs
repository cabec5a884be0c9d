//! The marks of products whose in-stock state may have changed
//! (`stock_change`), and what announcing them reads: one small upsert in a
//! stock write's transaction, the rest after it committed.

use contracts::events::stock_changed::{SkuStock, StockChanged};
use platform::db::Db;
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

/// Opens the write transaction of an announcing pass with the first
/// `limit` marks it holds; `None` when nothing is marked.
///
/// Most passes (one every poll interval on every replica) find nothing, and
/// on SQLite a write transaction takes the database's one write lock; so a
/// read outside any transaction looks first, and only marks seen there open
/// one. The marks are read again inside it: it takes whatever is marked when
/// it runs, including marks written after the look. A mark committed after
/// a look that found none waits for the wake-up its writer sends, or the
/// next poll, like one committed after the transaction.
pub async fn begin_pass(db: &Db, limit: i64) -> sqlx::Result<Option<(Tx, Vec<Mark>)>> {
    let any = sqlx::query("SELECT 1 FROM stock_change LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    if any.is_none() {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    let marks = marks(&mut tx, limit).await?;
    // Another replica may have announced them between the look and here.
    Ok((!marks.is_empty()).then_some((tx, marks)))
}

/// Up to `limit` marks, by product id.
async fn marks(tx: &mut Tx, limit: i64) -> sqlx::Result<Vec<Mark>> {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use platform::{
        db::Db,
        testing::{TestEngine, engines, fresh_database_url},
    };

    use super::{begin_pass, mark};
    use crate::store::MIGRATIONS;

    async fn fresh_db(engine: TestEngine) -> Db {
        let url = fresh_database_url(engine).await.expect("a fresh database");
        let db = Db::connect(&url).await.expect("the database");
        db.migrate(&MIGRATIONS).await.expect("the migrations");
        db
    }

    /// On SQLite a write transaction waits for the one write lock (up to the
    /// 30 s busy timeout); a pass that finds no marks answers while another
    /// writer holds it, so it opened none.
    #[tokio::test]
    async fn a_pass_without_marks_opens_no_write_transaction() {
        for engine in engines() {
            let db = fresh_db(engine).await;
            let writer = db.begin_write().await.expect("a writer");
            let pass = tokio::time::timeout(Duration::from_secs(5), begin_pass(&db, 10)).await;
            assert!(
                matches!(pass, Ok(Ok(None))),
                "{engine}: a pass without marks waited for the write lock or failed"
            );
            writer.rollback().await.expect("the writer ends");
        }
    }

    #[tokio::test]
    async fn a_pass_takes_every_mark_committed_before_it() {
        for engine in engines() {
            let db = fresh_db(engine).await;
            let mut tx = db.begin_write().await.expect("a write");
            mark(&mut tx, "product-2").await.expect("a mark");
            mark(&mut tx, "product-1").await.expect("a mark");
            tx.commit().await.expect("the marks commit");
            let (_tx, marks) = begin_pass(&db, 10)
                .await
                .expect("the pass")
                .expect("a pass with marks");
            let ids: Vec<&str> = marks.iter().map(|m| m.product_id.as_str()).collect();
            assert_eq!(ids, ["product-1", "product-2"], "{engine}");
        }
    }
}
