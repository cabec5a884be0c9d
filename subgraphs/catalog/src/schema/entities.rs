//! Federation entity resolvers: the router asks for many references at once
//! and each type's lookups become one batched DataLoader call.

use async_graphql::{Context, ID, Object, Result};

use super::{category::CategoryNode, load_error, loaders, product::ProductNode, user::UserNode};

#[derive(Default)]
pub struct EntityQuery;

#[Object]
impl EntityQuery {
    #[graphql(entity)]
    async fn find_product_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<ProductNode>> {
        let product = loaders(ctx)?
            .products
            .load_one(id.0)
            .await
            .map_err(load_error)?;
        Ok(product.map(ProductNode::new))
    }

    #[graphql(entity)]
    async fn find_category_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<CategoryNode>> {
        CategoryNode::load(ctx, id.0).await
    }

    /// Users are the users subgraph's; any id gets the catalog's fields
    /// (without a statement: those fields load lazily, batched).
    #[graphql(entity)]
    async fn find_user_by_id(&self, #[graphql(key)] id: ID) -> UserNode {
        UserNode::new(id.0)
    }
}
