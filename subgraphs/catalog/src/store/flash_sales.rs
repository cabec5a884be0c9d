//! Flash sales: a SKU sold at a sale price, in a limited quantity, within a
//! time window, at most `per_user_limit` per buyer. Buying is the orders
//! service's; the catalog defines and publishes them.

use platform::db::now_millis;

use super::{
    Catalog,
    rows::{FLASH_SALE_COLUMNS, FlashSale},
    sql::{Args, distinct},
};
use crate::{
    domain::{InvalidInput, Price},
    error::{CatalogError, CatalogResult},
};

pub struct NewFlashSale {
    pub sku_id: String,
    pub sale_price: Price,
    pub quantity: i64,
    pub per_user_limit: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

impl NewFlashSale {
    /// Checks the numbers that do not need the database.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if self.quantity <= 0 {
            return Err(InvalidInput::new(
                "INVALID_QUANTITY",
                "quantity",
                "the quantity must be positive",
            ));
        }
        if self.per_user_limit <= 0 {
            return Err(InvalidInput::new(
                "INVALID_QUANTITY",
                "perUserLimit",
                "the per-user limit must be positive",
            ));
        }
        if self.ends_at <= self.starts_at {
            return Err(InvalidInput::new(
                "INVALID_WINDOW",
                "endsAt",
                "a sale must end after it starts",
            ));
        }
        Ok(())
    }
}

impl Catalog {
    /// Creates a sale of an active SKU; it may not offer more units than
    /// the SKU has in stock now.
    pub async fn create_flash_sale(&self, sale: NewFlashSale) -> CatalogResult<FlashSale> {
        sale.validate()?;
        let mut tx = self.db.begin_write().await?;
        let stock: Option<i64> =
            sqlx::query_scalar("SELECT stock FROM sku WHERE sku_id = $1 AND status = 'ACTIVE'")
                .bind(&sale.sku_id)
                .fetch_optional(&mut *tx)
                .await?;
        let stock = stock.ok_or_else(|| CatalogError::not_found("SKU", "skuId"))?;
        if stock < sale.quantity {
            return Err(CatalogError::conflict(
                "INSUFFICIENT_STOCK",
                "quantity",
                format!("the SKU has {stock} in stock"),
            ));
        }
        let created: FlashSale = sqlx::query_as(&format!(
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
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(created)
    }

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
        let ids = distinct(ids);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = Args::default();
        let list = args.list(&ids);
        let sql =
            format!("SELECT {FLASH_SALE_COLUMNS} FROM flash_sale WHERE flash_sale_id IN ({list})");
        Ok(args
            .bind_as(sqlx::query_as(&sql))
            .fetch_all(self.db.pool())
            .await?)
    }
}
