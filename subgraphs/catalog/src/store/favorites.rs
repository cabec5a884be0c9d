//! A user's favorite products.

use platform::db::now_millis;

use super::{Store, sql::rows_with};

impl Store {
    /// Whether `product_id` names an active product.
    pub async fn product_is_active(&self, product_id: &str) -> sqlx::Result<bool> {
        Ok(
            sqlx::query("SELECT 1 FROM product WHERE product_id = $1 AND status = 'ACTIVE'")
                .bind(product_id)
                .fetch_optional(self.db.pool())
                .await?
                .is_some(),
        )
    }

    /// Adds a favorite; adding one twice writes nothing.
    pub async fn insert_favorite(&self, user_id: &str, product_id: &str) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO favorite (user_id, product_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, product_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(product_id)
        .bind(now_millis())
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Removes a favorite; false when it was not there.
    pub async fn delete_favorite(&self, user_id: &str, product_id: &str) -> sqlx::Result<bool> {
        let done = sqlx::query("DELETE FROM favorite WHERE user_id = $1 AND product_id = $2")
            .bind(user_id)
            .bind(product_id)
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// (user id, product id) of each user's favorites, newest first.
    pub async fn favorites_by_users(
        &self,
        user_ids: &[String],
    ) -> anyhow::Result<Vec<(String, String)>> {
        let select = "user_id, product_id FROM favorite";
        let order = "created_at DESC, product_id";
        Ok(rows_with(self.db.pool(), select, "user_id", user_ids, order).await?)
    }
}
