//! Reviews, replies and favorites: only buyers review a product, once each;
//! anyone signed in replies; favorites are of active products.

use platform::db::now_millis;

use super::Catalog;
use super::error::{CatalogError, CatalogResult};
use crate::{
    domain::{Rating, ReviewBody},
    store::{Review, ReviewInsert},
};

impl Catalog {
    pub async fn add_review(
        &self,
        user_id: &str,
        product_id: &str,
        rating: Rating,
        body: ReviewBody,
    ) -> CatalogResult<Review> {
        let review = Review {
            review_id: uuid::Uuid::new_v4().to_string(),
            product_id: product_id.to_owned(),
            user_id: user_id.to_owned(),
            parent_id: None,
            rating: Some(rating.stars()),
            body: body.into_inner(),
            created_at: now_millis(),
        };
        match self.store.insert_review(&review).await? {
            ReviewInsert::Inserted => Ok(review),
            ReviewInsert::NothingWritten => Err(self.why_not_reviewable(product_id).await),
            ReviewInsert::AlreadyReviewed => Err(CatalogError::conflict(
                "ALREADY_REVIEWED",
                "productId",
                "you have already reviewed this product; reply to your review instead",
            )),
        }
    }

    /// Why a review of `product_id` wrote nothing: the product is not there
    /// to review, or the user has not bought it.
    async fn why_not_reviewable(&self, product_id: &str) -> CatalogError {
        match self.store.product_is_active(product_id).await {
            Ok(false) => CatalogError::not_found("product", "productId"),
            Ok(true) => CatalogError::conflict(
                "NOT_PURCHASED",
                "productId",
                "only buyers of a product can review it",
            ),
            Err(e) => e.into(),
        }
    }

    /// A reply to a review or to another reply, on the same product.
    pub async fn reply_to_review(
        &self,
        user_id: &str,
        parent_id: &str,
        body: ReviewBody,
    ) -> CatalogResult<Review> {
        let review_id = uuid::Uuid::new_v4().to_string();
        self.store
            .insert_reply(&review_id, user_id, parent_id, body.as_ref(), now_millis())
            .await?
            .ok_or_else(|| CatalogError::not_found("review", "reviewId"))
    }

    /// Adds a favorite; adding one twice is not an error.
    pub async fn add_favorite(&self, user_id: &str, product_id: &str) -> CatalogResult<()> {
        if !self.store.product_is_active(product_id).await? {
            return Err(CatalogError::not_found("product", "productId"));
        }
        Ok(self.store.insert_favorite(user_id, product_id).await?)
    }

    /// Removes a favorite; false when it was not there.
    pub async fn remove_favorite(&self, user_id: &str, product_id: &str) -> CatalogResult<bool> {
        Ok(self.store.delete_favorite(user_id, product_id).await?)
    }
}
