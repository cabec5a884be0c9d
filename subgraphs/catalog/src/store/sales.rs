//! Sales counts and purchases, as the orders service's events change them
//! (`service::sales` applies the events).

use super::Tx;

/// Adds `delta` (may be negative) to a product's sales count, never below
/// zero.
pub async fn add_sales(tx: &mut Tx, product_id: &str, delta: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE product SET sales_count = CASE WHEN sales_count + $1 < 0 THEN 0 \
         ELSE sales_count + $1 END WHERE product_id = $2",
    )
    .bind(delta)
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that `user_id` bought `product_id`, once per (user, product)
/// however many orders or redeliveries name it.
pub async fn record_purchase(
    tx: &mut Tx,
    user_id: &str,
    product_id: &str,
    order_id: &str,
    purchased_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO purchase (user_id, product_id, order_id, purchased_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, product_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(product_id)
    .bind(order_id)
    .bind(purchased_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
