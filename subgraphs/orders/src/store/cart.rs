//! The signed-in buyer's cart: one line per SKU.

use sqlx::{AnyConnection, AnyPool};

use super::rows::CartLineRow;
use crate::domain::MAX_LINES;

const COLUMNS: &str = "sku_id, product_id, quantity";

pub async fn lines(pool: &AnyPool, user_id: &str) -> sqlx::Result<Vec<CartLineRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM cart_line WHERE user_id = $1 ORDER BY created_at, sku_id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Why a cart change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum CartChange {
    Done,
    /// The cart holds [`MAX_LINES`] lines already.
    Full,
    /// The line to change is not in the cart.
    NoSuchLine,
}

/// Adds `quantity` units of a SKU (to an existing line, up to `max_quantity`).
pub async fn add(
    conn: &mut AnyConnection,
    user_id: &str,
    sku_id: &str,
    product_id: &str,
    quantity: i64,
    max_quantity: i64,
    now: i64,
) -> sqlx::Result<CartChange> {
    let updated = sqlx::query(
        "UPDATE cart_line SET updated_at = $1, \
         quantity = CASE WHEN quantity + $4 > $5 THEN $5 ELSE quantity + $4 END \
         WHERE user_id = $2 AND sku_id = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(sku_id)
    .bind(quantity)
    .bind(max_quantity)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(CartChange::Done);
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cart_line WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    if count as usize >= MAX_LINES {
        return Ok(CartChange::Full);
    }
    sqlx::query(
        "INSERT INTO cart_line (user_id, sku_id, product_id, quantity, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(user_id)
    .bind(sku_id)
    .bind(product_id)
    .bind(quantity)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(CartChange::Done)
}

/// Sets a line's quantity.
pub async fn set_quantity(
    pool: &AnyPool,
    user_id: &str,
    sku_id: &str,
    quantity: i64,
    now: i64,
) -> sqlx::Result<CartChange> {
    let updated = sqlx::query(
        "UPDATE cart_line SET quantity = $1, updated_at = $2 WHERE user_id = $3 AND sku_id = $4",
    )
    .bind(quantity)
    .bind(now)
    .bind(user_id)
    .bind(sku_id)
    .execute(pool)
    .await?;
    Ok(if updated.rows_affected() == 1 {
        CartChange::Done
    } else {
        CartChange::NoSuchLine
    })
}

pub async fn remove(pool: &AnyPool, user_id: &str, sku_id: &str) -> sqlx::Result<CartChange> {
    let deleted = sqlx::query("DELETE FROM cart_line WHERE user_id = $1 AND sku_id = $2")
        .bind(user_id)
        .bind(sku_id)
        .execute(pool)
        .await?;
    Ok(if deleted.rows_affected() == 1 {
        CartChange::Done
    } else {
        CartChange::NoSuchLine
    })
}

pub async fn clear(conn: &mut AnyConnection, user_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM cart_line WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
