//! The category tree, siblings ordered by position.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::cache::CATEGORY_TREE_TTL;
use super::{Store, Tx, rows::Category};
use crate::domain::CategoryName;

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

pub async fn load_tree<'e, E>(executor: E) -> sqlx::Result<CategoryTree>
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

impl Store {
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
}

pub async fn insert_category(tx: &mut Tx, category: &Category, now: i64) -> sqlx::Result<()> {
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts category `id` under `parent_id` at `position` and `depth`.
pub async fn set_parent(
    tx: &mut Tx,
    id: &str,
    parent_id: Option<&str>,
    position: i64,
    depth: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE category SET parent_id = $1, position = $2, depth = $3, updated_at = $4 \
         WHERE category_id = $5",
    )
    .bind(parent_id)
    .bind(position)
    .bind(depth)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_depth(tx: &mut Tx, id: &str, depth: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE category SET depth = $1, updated_at = $2 WHERE category_id = $3")
        .bind(depth)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
