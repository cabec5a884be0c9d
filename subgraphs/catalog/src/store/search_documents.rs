//! Product documents for the search index: paged by id for a full reindex
//! (`GET /internal/products`), by id for `GET /internal/products?ids=`, or
//! by id / category inside a write transaction for the `product.changed`
//! events.

use contracts::product::{ProductDocument, ProductDocumentPage};
use sqlx::{AnyConnection, Row};

use super::{Store, categories::CategoryTree, rows::Product, sql::Args};
use crate::domain::CURRENCY;

/// Which products to build documents for.
pub enum Selection<'a> {
    /// Up to `limit` products with ids above `after`, by id.
    After {
        after: &'a str,
        limit: i64,
    },
    Ids(&'a [String]),
    /// Every product directly in one of these categories.
    InCategories(&'a [String]),
}

/// Each product with its price range and whether it has stock: the same
/// numbers the listing shows.
const DOCUMENT_SELECT: &str = super::products::LISTING;

pub async fn load_documents(
    conn: &mut AnyConnection,
    tree: &CategoryTree,
    selection: Selection<'_>,
) -> anyhow::Result<Vec<ProductDocument>> {
    let mut args = Args::default();
    let sql = match selection {
        Selection::After { after, limit } => {
            let after = args.text(after);
            let limit = args.int(limit);
            format!(
                "{DOCUMENT_SELECT} WHERE p.product_id > {after} ORDER BY p.product_id LIMIT {limit}"
            )
        }
        Selection::Ids(ids) | Selection::InCategories(ids) if ids.is_empty() => {
            return Ok(Vec::new());
        }
        Selection::Ids(ids) => {
            format!(
                "{DOCUMENT_SELECT} WHERE p.product_id IN ({}) ORDER BY p.product_id",
                args.list(ids)
            )
        }
        Selection::InCategories(ids) => {
            format!(
                "{DOCUMENT_SELECT} WHERE p.category_id IN ({}) ORDER BY p.product_id",
                args.list(ids)
            )
        }
    };
    let rows = args.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
    let mut documents = Vec::with_capacity(rows.len());
    for row in &rows {
        let product: Product = sqlx::FromRow::from_row(row)?;
        documents.push(ProductDocument {
            ancestor_category_ids: tree.ancestors(&product.category_id),
            id: product.product_id,
            name: product.name,
            description: product.description,
            brand: product.brand,
            tags: product.tags,
            hot: product.hot,
            status: product.status.as_str().to_owned(),
            category_id: product.category_id,
            min_price: row.try_get("min_price")?,
            max_price: row.try_get("max_price")?,
            currency: CURRENCY.to_owned(),
            in_stock: row.try_get::<i64, _>("in_stock")? != 0,
            sales_count: product.sales_count,
            created_at: product.created_at,
            updated_at: product.updated_at,
        });
    }
    Ok(documents)
}

impl Store {
    /// Up to `limit` products (any status) with ids above `after`.
    pub async fn product_documents(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<ProductDocumentPage> {
        let tree = self.category_tree().await?;
        let mut conn = self.db.pool().acquire().await?;
        let selection = Selection::After {
            after: after.unwrap_or(""),
            limit: limit + 1,
        };
        let mut products = load_documents(&mut conn, &tree, selection).await?;
        let has_more = products.len() as i64 > limit;
        products.truncate(limit.max(0) as usize);
        let next_after = if has_more {
            products.last().map(|p| p.id.clone())
        } else {
            None
        };
        Ok(ProductDocumentPage {
            products,
            next_after,
        })
    }

    /// The products `ids` (any status) that exist, by id.
    pub async fn product_documents_by_ids(
        &self,
        ids: &[String],
    ) -> anyhow::Result<ProductDocumentPage> {
        let tree = self.category_tree().await?;
        let mut conn = self.db.pool().acquire().await?;
        Ok(ProductDocumentPage {
            products: load_documents(&mut conn, &tree, Selection::Ids(ids)).await?,
            next_after: None,
        })
    }
}
