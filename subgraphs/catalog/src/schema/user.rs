//! `User` (owned by the users subgraph): the catalog contributes the user's
//! favorites and reviews.

use async_graphql::{Context, ID, Object, Result};
use platform::{
    federation::authenticated,
    gql::{ErrorCode, viewer},
};

use super::{load_error, loaders, product::ProductNode, review::ReviewNode};

pub struct UserNode {
    id: String,
}

impl UserNode {
    pub fn new(id: String) -> Self {
        Self { id }
    }
}

#[Object(name = "User")]
impl UserNode {
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// The user's favorite products, newest first. Only the user themself
    /// or an admin may read them.
    #[graphql(
        directive = authenticated::apply(),
        requires_scopes = "customer",
        requires_scopes = "admin"
    )]
    async fn favorites(&self, ctx: &Context<'_>) -> Result<Vec<ProductNode>> {
        let viewer = viewer(ctx)?;
        if viewer.user_id != self.id && !viewer.is_admin() {
            return Err(ErrorCode::Forbidden.error("only the user or an admin may see favorites"));
        }
        let loaders = loaders(ctx)?;
        let ids = loaders
            .favorites
            .load_one(self.id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        let products = loaders
            .products
            .load_many(ids.clone())
            .await
            .map_err(load_error)?;
        Ok(ids
            .iter()
            .filter_map(|id| products.get(id).cloned().map(ProductNode::new))
            .collect())
    }

    /// What the user wrote (reviews and replies), newest first.
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<ReviewNode>> {
        let reviews = loaders(ctx)?
            .user_reviews
            .load_one(self.id.clone())
            .await
            .map_err(load_error)?
            .unwrap_or_default();
        Ok(reviews.into_iter().map(ReviewNode).collect())
    }
}
