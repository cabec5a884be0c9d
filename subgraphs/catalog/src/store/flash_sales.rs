//! Flash sales: a SKU sold at a sale price, in a limited quantity, within a
//! time window, at most `per_user_limit` per buyer (the rules of a new one
//! are `service::flash_sales`').

use super::{
    Store, Tx,
    rows::{FLASH_SALE_COLUMNS, FlashSale},
    sql::rows_with,
};
use crate::domain::Price;

pub struct NewFlashSale {
    pub sku_id: String,
    pub sale_price: Price,
    pub quantity: i64,
    pub per_user_limit: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

impl Store {
    /// The sales whose window contains `at` (every sale when `None`).
    pub async fn flash_sales(&self, at: Option<i64>) -> anyhow::Result<Vec<FlashSale>> {
        let sales = match at {
            Some(at) => {
                sqlx::query_as(&format!(
                    "SELECT {FLASH_SALE_COLUMNS} FROM flash_sale WHERE starts_at <= $1 AND ends_at > $1 \
                     ORDER BY starts_at, flash_sale_id"
                ))
                .bind(at)
                .fetch_all(self.db.pool())
                .await?
            }
            None => {
                sqlx::query_as(&format!(
                    "SELECT {FLASH_SALE_COLUMNS} FROM flash_sale ORDER BY starts_at, flash_sale_id"
                ))
                .fetch_all(self.db.pool())
                .await?
            }
        };
        Ok(sales)
    }

    pub async fn flash_sales_by_ids(&self, ids: &[String]) -> anyhow::Result<Vec<FlashSale>> {
        let select = format!("{FLASH_SALE_COLUMNS} FROM flash_sale");
        let pool = self.db.pool();
        Ok(rows_with(pool, &select, "flash_sale_id", ids, "flash_sale_id").await?)
    }
}

/// The stock of SKU `sku_id` if it is active.
pub async fn active_sku_stock(tx: &mut Tx, sku_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT stock FROM sku WHERE sku_id = $1 AND status = 'ACTIVE'")
        .bind(sku_id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn insert_flash_sale(
    tx: &mut Tx,
    sale: &NewFlashSale,
    now: i64,
) -> sqlx::Result<FlashSale> {
    sqlx::query_as(&format!(
        "INSERT INTO flash_sale (flash_sale_id, sku_id, sale_price, quantity, per_user_limit, \
         starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING {FLASH_SALE_COLUMNS}"
    ))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&sale.sku_id)
    .bind(sale.sale_price.fen())
    .bind(sale.quantity)
    .bind(sale.per_user_limit)
    .bind(sale.starts_at)
    .bind(sale.ends_at)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}
