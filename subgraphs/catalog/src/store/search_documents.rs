//! Product documents for the search service's index, paged by id.

use sqlx::Row;

use super::{Catalog, rows::Product};
use crate::{
    domain::CURRENCY,
    internal_api::{ProductDocument, ProductDocumentPage},
};

impl Catalog {
    /// Up to `limit` products (any status) with ids above `after`.
    pub async fn product_documents(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<ProductDocumentPage> {
        let tree = self.category_tree().await?;
        let rows = sqlx::query(
            "SELECT p.*, \
             COALESCE((SELECT MIN(s.price) FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE'), 0) AS min_price, \
             COALESCE((SELECT MAX(s.price) FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE'), 0) AS max_price, \
             CASE WHEN EXISTS (SELECT 1 FROM sku s WHERE s.product_id = p.product_id AND s.status = 'ACTIVE' AND s.stock > 0) \
                  THEN 1 ELSE 0 END AS in_stock \
             FROM product p WHERE p.product_id > $1 ORDER BY p.product_id LIMIT $2",
        )
        .bind(after.unwrap_or(""))
        .bind(limit + 1)
        .fetch_all(self.db.pool())
        .await?;
        let mut products = Vec::with_capacity(rows.len());
        for row in rows.iter().take(limit.max(0) as usize) {
            let product: Product = sqlx::FromRow::from_row(row)?;
            products.push(ProductDocument {
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
        let next_after = if rows.len() as i64 > limit {
            products.last().map(|p| p.id.clone())
        } else {
            None
        };
        Ok(ProductDocumentPage {
            products,
            next_after,
        })
    }
}
