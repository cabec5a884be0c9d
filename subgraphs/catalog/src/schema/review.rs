//! `Review`: a rating and text on a product, or a reply in its thread.

use async_graphql::{Context, ID, Object, Result};
use platform::gql::{Timestamp, int};

use super::{load_error, loaders, product::ProductNode, user::UserNode};
use crate::store::Review;

pub struct ReviewNode(pub Review);

#[Object(name = "Review")]
impl ReviewNode {
    async fn id(&self) -> ID {
        ID(self.0.review_id.clone())
    }

    /// 1 to 5 on a review; null on a reply.
    async fn rating(&self) -> Option<i32> {
        self.0.rating.map(int)
    }

    async fn body(&self) -> &str {
        &self.0.body
    }

    /// The review or reply this one answers; null on a top-level review.
    async fn parent_id(&self) -> Option<ID> {
        self.0.parent_id.clone().map(ID)
    }

    /// The review or reply this one answers.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<ReviewNode>> {
        let Some(parent_id) = &self.0.parent_id else {
            return Ok(None);
        };
        let parent = loaders(ctx)?
            .reviews
            .load_one(parent_id.clone())
            .await
            .map_err(load_error)?;
        Ok(parent.map(ReviewNode))
    }

    async fn author(&self) -> UserNode {
        UserNode::new(self.0.user_id.clone())
    }

    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    async fn product(&self, ctx: &Context<'_>) -> Result<ProductNode> {
        ProductNode::owner_of(ctx, &self.0.product_id, "a review").await
    }

    /// The direct replies, oldest first.
    async fn replies(&self, ctx: &Context<'_>) -> Result<Vec<ReviewNode>> {
        let replies = loaders(ctx)?
            .replies
            .load_one(self.0.review_id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(replies.into_iter().map(ReviewNode).collect())
    }
}
