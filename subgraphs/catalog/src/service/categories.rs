//! The category tree's rules: at most three levels, never a cycle, a new
//! category last among its siblings unless placed.

use platform::db::now_millis;

use super::error::{CatalogError, CatalogResult};
use super::{Catalog, announce};
use crate::store::{self, Category, CategoryTree, NewCategory};

/// The deepest level a category may sit at.
pub const MAX_DEPTH: i64 = 3;

impl Catalog {
    pub async fn create_category(&self, input: NewCategory) -> CatalogResult<Category> {
        let mut tx = self.store.begin_write().await?;
        let tree = store::load_tree(&mut *tx).await?;
        let depth = match &input.parent_id {
            None => 1,
            Some(parent_id) => {
                let parent = tree
                    .get(parent_id)
                    .ok_or_else(|| CatalogError::not_found("parent category", "parentId"))?;
                parent.depth + 1
            }
        };
        if depth > MAX_DEPTH {
            return Err(CatalogError::conflict(
                "TOO_DEEP",
                "parentId",
                "categories nest at most three levels deep",
            ));
        }
        let position = match input.position {
            Some(p) => p,
            None => next_position(&tree, input.parent_id.as_deref()),
        };
        let category = Category {
            category_id: uuid::Uuid::new_v4().to_string(),
            parent_id: input.parent_id,
            name: input.name.into_inner(),
            position,
            depth,
        };
        store::insert_category(&mut tx, &category, now_millis()).await?;
        tx.commit().await?;
        self.cache.invalidate(&self.cache.category_tree_key()).await;
        Ok(category)
    }

    /// Moves `id` (with its subtree) under `parent_id` (or to the top).
    pub async fn move_category(
        &self,
        id: &str,
        parent_id: Option<String>,
        position: Option<i64>,
    ) -> CatalogResult<Category> {
        let mut tx = self.store.begin_write().await?;
        let tree = store::load_tree(&mut *tx).await?;
        let moving = tree
            .get(id)
            .cloned()
            .ok_or_else(|| CatalogError::not_found("category", "id"))?;
        let subtree: Vec<Category> = tree.subtree(id).into_iter().cloned().collect();
        let new_depth = match &parent_id {
            None => 1,
            Some(p) => {
                if subtree.iter().any(|c| &c.category_id == p) {
                    return Err(CatalogError::conflict(
                        "CYCLE",
                        "parentId",
                        "a category cannot move under itself or its descendants",
                    ));
                }
                tree.get(p)
                    .ok_or_else(|| CatalogError::not_found("parent category", "parentId"))?
                    .depth
                    + 1
            }
        };
        let shift = new_depth - moving.depth;
        let deepest = subtree
            .iter()
            .map(|c| c.depth)
            .max()
            .unwrap_or(moving.depth);
        if deepest + shift > MAX_DEPTH {
            return Err(CatalogError::conflict(
                "TOO_DEEP",
                "parentId",
                "the move would nest categories more than three levels deep",
            ));
        }
        let position = position.unwrap_or_else(|| next_position(&tree, parent_id.as_deref()));
        let now = now_millis();
        store::set_parent(&mut tx, id, parent_id.as_deref(), position, new_depth, now).await?;
        let subtree_ids: Vec<String> = subtree.iter().map(|c| c.category_id.clone()).collect();
        for descendant in subtree.iter().filter(|c| c.category_id != id) {
            store::set_depth(
                &mut tx,
                &descendant.category_id,
                descendant.depth + shift,
                now,
            )
            .await?;
        }
        // Every product below the moved category has a new category path.
        announce(&mut tx, store::Selection::InCategories(&subtree_ids)).await?;
        tx.commit().await?;
        self.events.wake();
        self.cache.invalidate(&self.cache.category_tree_key()).await;
        Ok(Category {
            parent_id,
            position,
            depth: new_depth,
            ..moving
        })
    }
}

fn next_position(tree: &CategoryTree, parent_id: Option<&str>) -> i64 {
    tree.children(parent_id)
        .iter()
        .map(|c| c.position + 1)
        .max()
        .unwrap_or(0)
}
