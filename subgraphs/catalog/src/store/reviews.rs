//! Reviews (a rating and text) and threaded replies.

use std::collections::HashMap;

use platform::db::is_unique_violation;
use sqlx::Row;

use super::{
    Store,
    rows::{REVIEW_COLUMNS, Review},
    sql::{Args, distinct, rows_with},
};

/// The unique index that allows one top-level review per user per product.
const ONE_REVIEW_PER_USER_PRODUCT: &str = "review_one_per_user_product";

/// A product's rating summary.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReviewStats {
    pub count: i64,
    pub rating_sum: i64,
}

/// What inserting a top-level review did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewInsert {
    Inserted,
    /// Nothing written: the product is unknown or archived, or the user
    /// has not bought it.
    NothingWritten,
    /// The user has reviewed this product already.
    AlreadyReviewed,
}

impl Store {
    /// Inserts `review` if its product is active and its user bought it.
    pub async fn insert_review(&self, review: &Review) -> sqlx::Result<ReviewInsert> {
        // Inserting from a SELECT writes nothing for an unknown or archived
        // product, or one this user has not bought.
        let inserted = sqlx::query(
            "INSERT INTO review (review_id, product_id, user_id, parent_id, rating, body, created_at) \
             SELECT $1, p.product_id, $2, NULL, $3, $4, $5 FROM product p \
             JOIN purchase b ON b.product_id = p.product_id AND b.user_id = $2 \
             WHERE p.product_id = $6 AND p.status = 'ACTIVE'",
        )
        .bind(&review.review_id)
        .bind(&review.user_id)
        .bind(review.rating)
        .bind(&review.body)
        .bind(review.created_at)
        .bind(&review.product_id)
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(done) if done.rows_affected() > 0 => Ok(ReviewInsert::Inserted),
            Ok(_) => Ok(ReviewInsert::NothingWritten),
            Err(e) if is_unique_violation(&e, ONE_REVIEW_PER_USER_PRODUCT) => {
                Ok(ReviewInsert::AlreadyReviewed)
            }
            Err(e) => Err(e),
        }
    }

    /// Inserts a reply to review `parent_id`, on the same product; `None`
    /// when there is no such review.
    pub async fn insert_reply(
        &self,
        review_id: &str,
        user_id: &str,
        parent_id: &str,
        body: &str,
        now: i64,
    ) -> sqlx::Result<Option<Review>> {
        sqlx::query_as(&format!(
            "INSERT INTO review (review_id, product_id, user_id, parent_id, rating, body, created_at) \
             SELECT $1, product_id, $2, review_id, NULL, $3, $4 FROM review WHERE review_id = $5 \
             RETURNING {REVIEW_COLUMNS}"
        ))
        .bind(review_id)
        .bind(user_id)
        .bind(body)
        .bind(now)
        .bind(parent_id)
        .fetch_optional(self.db.pool())
        .await
    }

    pub async fn review_stats(
        &self,
        product_ids: &[String],
    ) -> anyhow::Result<HashMap<String, ReviewStats>> {
        let ids = distinct(product_ids);
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut args = Args::default();
        let list = args.list(&ids);
        // CAST: PostgreSQL sums BIGINT into NUMERIC, which the Any driver cannot carry.
        let sql = format!(
            "SELECT product_id, COUNT(*) AS n, CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS total \
             FROM review WHERE parent_id IS NULL AND product_id IN ({list}) GROUP BY product_id"
        );
        let rows = args
            .bind(sqlx::query(&sql))
            .fetch_all(self.db.pool())
            .await?;
        let mut stats = HashMap::new();
        for row in rows {
            stats.insert(
                row.try_get("product_id")?,
                ReviewStats {
                    count: row.try_get("n")?,
                    rating_sum: row.try_get("total")?,
                },
            );
        }
        Ok(stats)
    }

    /// The newest `limit` top-level reviews of each product, in one statement.
    pub async fn top_reviews(
        &self,
        product_ids: &[String],
        limit: i64,
    ) -> anyhow::Result<Vec<Review>> {
        let ids = distinct(product_ids);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = Args::default();
        let list = args.list(&ids);
        let limit = args.int(limit);
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM (SELECT r.*, ROW_NUMBER() OVER \
             (PARTITION BY product_id ORDER BY created_at DESC, review_id DESC) AS rn \
             FROM review r WHERE parent_id IS NULL AND product_id IN ({list})) q \
             WHERE rn <= {limit} ORDER BY product_id, created_at DESC, review_id DESC"
        );
        Ok(args
            .bind_as(sqlx::query_as(&sql))
            .fetch_all(self.db.pool())
            .await?)
    }

    /// The direct replies of each review, oldest first.
    pub async fn replies(&self, parent_ids: &[String]) -> anyhow::Result<Vec<Review>> {
        self.reviews_where("parent_id", parent_ids, "created_at, review_id")
            .await
    }

    /// Everything each user wrote (reviews and replies), newest first.
    pub async fn reviews_by_users(&self, user_ids: &[String]) -> anyhow::Result<Vec<Review>> {
        self.reviews_where("user_id", user_ids, "created_at DESC, review_id DESC")
            .await
    }

    pub async fn reviews_by_ids(&self, ids: &[String]) -> anyhow::Result<Vec<Review>> {
        self.reviews_where("review_id", ids, "review_id").await
    }

    async fn reviews_where(
        &self,
        column: &str,
        keys: &[String],
        order: &str,
    ) -> anyhow::Result<Vec<Review>> {
        let select = format!("{REVIEW_COLUMNS} FROM review");
        Ok(rows_with(self.db.pool(), &select, column, keys, order).await?)
    }
}
