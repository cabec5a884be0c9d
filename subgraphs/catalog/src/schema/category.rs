//! `Category`: a node of the three-level category tree.

use async_graphql::{Context, ID, Object, Result};
use platform::gql::int;

use super::{catalog, load_error, loaders};
use crate::store::Category;

pub struct CategoryNode(pub Category);

impl CategoryNode {
    /// Category `id` through the loader; `None` when there is none.
    pub async fn load(ctx: &Context<'_>, id: String) -> Result<Option<Self>> {
        let category = loaders(ctx)?
            .categories
            .load_one(id)
            .await
            .map_err(load_error)?;
        Ok(category.map(Self))
    }
}

#[Object(name = "Category")]
impl CategoryNode {
    async fn id(&self) -> ID {
        ID(self.0.category_id.clone())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The order among its siblings (ascending).
    async fn position(&self) -> i32 {
        int(self.0.position)
    }

    /// 1 for a top-level category, 2 and 3 below it.
    async fn level(&self) -> i32 {
        int(self.0.depth)
    }

    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<CategoryNode>> {
        let Some(parent_id) = &self.0.parent_id else {
            return Ok(None);
        };
        Self::load(ctx, parent_id.clone()).await
    }

    /// The direct children, ordered by position.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<CategoryNode>> {
        let tree = catalog(ctx)?
            .category_tree()
            .await
            .map_err(platform::gql::internal)?;
        Ok(tree
            .children(Some(&self.0.category_id))
            .into_iter()
            .map(CategoryNode)
            .collect())
    }

    /// The ancestors from the top level down (this category excluded).
    async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<CategoryNode>> {
        let tree = catalog(ctx)?
            .category_tree()
            .await
            .map_err(platform::gql::internal)?;
        Ok(tree
            .ancestors(&self.0.category_id)
            .iter()
            .filter_map(|id| tree.get(id).cloned().map(CategoryNode))
            .collect())
    }
}
