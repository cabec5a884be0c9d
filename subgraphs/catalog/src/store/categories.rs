//! The category tree: at most three levels, siblings ordered by position.

use std::collections::HashMap;

use platform::db::now_millis;
use serde::{Deserialize, Serialize};

use super::{Catalog, changes, rows::Category};
use crate::{
    cache::CATEGORY_TREE_TTL,
    domain::CategoryName,
    error::{CatalogError, CatalogResult},
};

/// The deepest level a category may sit at.
pub const MAX_DEPTH: i64 = 3;

/// Every category, ordered by depth then position: the cached tree.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

impl CategoryTree {
    pub fn get(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.category_id == id)
    }

    pub fn children(&self, id: Option<&str>) -> Vec<Category> {
        let mut children: Vec<Category> = self
            .categories
            .iter()
            .filter(|c| c.parent_id.as_deref() == id)
            .cloned()
            .collect();
        children.sort_by(|a, b| a.position.cmp(&b.position).then(a.name.cmp(&b.name)));
        children
    }

    /// `id` and every category below it.
    pub fn subtree(&self, id: &str) -> Vec<&Category> {
        let mut out: Vec<&Category> = self
            .categories
            .iter()
            .filter(|c| c.category_id == id)
            .collect();
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].category_id.clone();
            out.extend(
                self.categories
                    .iter()
                    .filter(|c| c.parent_id.as_deref() == Some(&parent)),
            );
            i += 1;
        }
        out
    }

    /// The ids from the root down to `id`'s parent.
    pub fn ancestors(&self, id: &str) -> Vec<String> {
        let by_id: HashMap<&str, &Category> = self
            .categories
            .iter()
            .map(|c| (c.category_id.as_str(), c))
            .collect();
        let mut out = Vec::new();
        let mut current = by_id.get(id).and_then(|c| c.parent_id.as_deref());
        while let Some(parent) = current {
            if out.iter().any(|seen: &String| seen == parent) {
                break; // a cycle cannot be written, but never loop on one
            }
            out.push(parent.to_owned());
            current = by_id.get(parent).and_then(|c| c.parent_id.as_deref());
        }
        out.reverse();
        out
    }
}

pub struct NewCategory {
    pub name: CategoryName,
    pub parent_id: Option<String>,
    pub position: Option<i64>,
}

const CATEGORY_COLUMNS: &str = "category_id, parent_id, name, position, depth";

pub(super) async fn load_tree<'e, E>(executor: E) -> sqlx::Result<CategoryTree>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let categories = sqlx::query_as::<_, Category>(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM category ORDER BY depth, position, name"
    ))
    .fetch_all(executor)
    .await?;
    Ok(CategoryTree { categories })
}

impl Catalog {
    /// The whole tree, from the cache (a week) or the database.
    pub async fn category_tree(&self) -> anyhow::Result<CategoryTree> {
        let db = self.db.clone();
        let tree = self
            .cache
            .get_or_load(
                self.cache.category_tree_key(),
                CATEGORY_TREE_TTL,
                move || async move { Ok(Some(load_tree(db.pool()).await?)) },
            )
            .await?;
        Ok(tree.unwrap_or_default())
    }

    pub async fn create_category(&self, input: NewCategory) -> CatalogResult<Category> {
        let mut tx = self.db.begin_write().await?;
        let tree = load_tree(&mut *tx).await?;
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
        let now = now_millis();
        sqlx::query(
            "INSERT INTO category (category_id, parent_id, name, position, depth, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&category.category_id)
        .bind(category.parent_id.as_deref())
        .bind(&category.name)
        .bind(category.position)
        .bind(category.depth)
        .bind(now)
        .execute(&mut *tx)
        .await?;
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
        let mut tx = self.db.begin_write().await?;
        let tree = load_tree(&mut *tx).await?;
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
        sqlx::query(
            "UPDATE category SET parent_id = $1, position = $2, depth = $3, updated_at = $4 \
             WHERE category_id = $5",
        )
        .bind(parent_id.as_deref())
        .bind(position)
        .bind(new_depth)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let subtree_ids: Vec<String> = subtree.iter().map(|c| c.category_id.clone()).collect();
        for descendant in subtree.iter().filter(|c| c.category_id != id) {
            sqlx::query("UPDATE category SET depth = $1, updated_at = $2 WHERE category_id = $3")
                .bind(descendant.depth + shift)
                .bind(now)
                .bind(&descendant.category_id)
                .execute(&mut *tx)
                .await?;
        }
        // Every product below the moved category has a new category path.
        changes::categories_changed(&mut tx, &subtree_ids).await?;
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
