//! SKUs: lookups, admin writes, and the atomic stock adjustment.

use platform::db::now_millis;

use super::{
    Store, Tx,
    rows::{SKU_COLUMNS, Sku, Status},
    sql::{Args, rows_with},
};
use crate::domain::{Price, SkuName};

#[derive(Default)]
pub struct SkuPatch {
    pub name: Option<SkuName>,
    pub price: Option<Price>,
}

impl Store {
    /// The SKUs (any status) of each product, ordered by position.
    pub async fn skus_by_product_ids(&self, product_ids: &[String]) -> anyhow::Result<Vec<Sku>> {
        self.skus_where("product_id", product_ids).await
    }

    pub async fn skus_by_ids(&self, sku_ids: &[String]) -> anyhow::Result<Vec<Sku>> {
        self.skus_where("sku_id", sku_ids).await
    }

    async fn skus_where(&self, column: &str, keys: &[String]) -> anyhow::Result<Vec<Sku>> {
        let select = format!("{SKU_COLUMNS} FROM sku");
        let order = "product_id, position, sku_id";
        Ok(rows_with(self.db.pool(), &select, column, keys, order).await?)
    }
}

/// The position after the last SKU of `product_id`; `None` when there is
/// no such product.
pub async fn next_sku_position(tx: &mut Tx, product_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT MAX(position) + 1 FROM sku WHERE product_id = $1), 0) \
         FROM product WHERE product_id = $1",
    )
    .bind(product_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Applies `patch` to SKU `id`; `None` when there is no such SKU.
pub async fn update_sku(tx: &mut Tx, id: &str, patch: SkuPatch) -> sqlx::Result<Option<Sku>> {
    let mut args = Args::default();
    let mut sets = Vec::new();
    if let Some(name) = patch.name {
        sets.push(format!("name = {}", args.text(name.into_inner())));
    }
    if let Some(price) = patch.price {
        sets.push(format!("price = {}", args.int(price.fen())));
    }
    sets.push(format!("updated_at = {}", args.int(now_millis())));
    let id_p = args.text(id);
    let sql = format!(
        "UPDATE sku SET {} WHERE sku_id = {id_p} RETURNING {SKU_COLUMNS}",
        sets.join(", ")
    );
    args.bind_as(sqlx::query_as(&sql))
        .fetch_optional(&mut **tx)
        .await
}

pub async fn set_sku_status(tx: &mut Tx, id: &str, status: Status) -> sqlx::Result<Option<Sku>> {
    sqlx::query_as(&format!(
        "UPDATE sku SET status = $1, updated_at = $2 WHERE sku_id = $3 RETURNING {SKU_COLUMNS}"
    ))
    .bind(status.as_str())
    .bind(now_millis())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds `delta` to a SKU's stock (a negative one takes) in one conditional
/// update that applies only while the result stays at or above zero;
/// `None` when it did not, or there is no such SKU. Reservations take and
/// give back through here, as do administrators' adjustments.
pub async fn add_stock(
    tx: &mut Tx,
    sku_id: &str,
    delta: i64,
    now: i64,
) -> sqlx::Result<Option<Sku>> {
    sqlx::query_as(&format!(
        "UPDATE sku SET stock = stock + $1, updated_at = $3 \
         WHERE sku_id = $2 AND stock + $1 >= 0 RETURNING {SKU_COLUMNS}"
    ))
    .bind(delta)
    .bind(sku_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn sku_exists(tx: &mut Tx, sku_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM sku WHERE sku_id = $1")
        .bind(sku_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}
