//! The admin's product and SKU writes: each one transaction that announces
//! the products it changed (`commit_product_changes`).

use platform::db::now_millis;

use super::Catalog;
use super::error::{CatalogError, CatalogResult};
use crate::{
    domain::{ImageUrl, InvalidInput, Tag},
    store::{
        self, NewProduct, NewSku, Product, ProductDetail, ProductPatch, Sku, SkuPatch, Status, Tx,
    },
};

impl Catalog {
    pub async fn create_product(&self, input: NewProduct) -> CatalogResult<ProductDetail> {
        let mut tx = self.store.begin_write().await?;
        if !store::category_exists(&mut tx, &input.category_id).await? {
            return Err(CatalogError::not_found("category", "categoryId"));
        }
        let now = now_millis();
        let product = Product {
            product_id: uuid::Uuid::new_v4().to_string(),
            category_id: input.category_id,
            name: input.name.into_inner(),
            description: input.description.into_inner(),
            brand: input.brand.into_inner(),
            tags: input.tags.into_iter().map(Tag::into_inner).collect(),
            images: input.images.into_iter().map(ImageUrl::into_inner).collect(),
            hot: input.hot,
            status: Status::Active,
            sales_count: 0,
            created_at: now,
            updated_at: now,
        };
        store::insert_product(&mut tx, &product).await?;
        let mut skus = Vec::with_capacity(input.skus.len());
        for (position, sku) in input.skus.into_iter().enumerate() {
            skus.push(add_sku(&mut tx, &product.product_id, sku, position as i64, now).await?);
        }
        // Known before it is visible, so no reader sees it ruled out; if the
        // commit fails the filter keeps a harmless false positive.
        self.known_ids.insert(&product.product_id);
        self.commit_product_changes(tx, std::slice::from_ref(&product.product_id))
            .await?;
        Ok(ProductDetail { product, skus })
    }

    pub async fn update_product(&self, id: &str, patch: ProductPatch) -> CatalogResult<Product> {
        let mut tx = self.store.begin_write().await?;
        if let Some(category_id) = &patch.category_id
            && !store::category_exists(&mut tx, category_id).await?
        {
            return Err(CatalogError::not_found("category", "categoryId"));
        }
        let product = store::update_product(&mut tx, id, patch).await?;
        self.commit_one(tx, product, "product", |p| &p.product_id)
            .await
    }

    pub async fn set_product_status(&self, id: &str, status: Status) -> CatalogResult<Product> {
        let mut tx = self.store.begin_write().await?;
        let product = store::set_product_status(&mut tx, id, status).await?;
        self.commit_one(tx, product, "product", |p| &p.product_id)
            .await
    }

    pub async fn create_sku(&self, product_id: &str, sku: NewSku) -> CatalogResult<Sku> {
        let mut tx = self.store.begin_write().await?;
        let position = store::next_sku_position(&mut tx, product_id)
            .await?
            .ok_or_else(|| CatalogError::not_found("product", "productId"))?;
        let sku = add_sku(&mut tx, product_id, sku, position, now_millis()).await?;
        self.commit_product_changes(tx, std::slice::from_ref(&sku.product_id))
            .await?;
        Ok(sku)
    }

    pub async fn update_sku(&self, id: &str, patch: SkuPatch) -> CatalogResult<Sku> {
        let mut tx = self.store.begin_write().await?;
        let sku = store::update_sku(&mut tx, id, patch).await?;
        self.commit_one(tx, sku, "SKU", |s| &s.product_id).await
    }

    pub async fn set_sku_status(&self, id: &str, status: Status) -> CatalogResult<Sku> {
        let mut tx = self.store.begin_write().await?;
        let sku = store::set_sku_status(&mut tx, id, status).await?;
        self.commit_one(tx, sku, "SKU", |s| &s.product_id).await
    }

    /// The end of a write to the one `row` (a `what` by id): not found,
    /// or its product announced.
    async fn commit_one<T>(
        &self,
        tx: Tx,
        row: Option<T>,
        what: &'static str,
        product_id: impl Fn(&T) -> &String,
    ) -> CatalogResult<T> {
        let row = row.ok_or_else(|| CatalogError::not_found(what, "id"))?;
        self.commit_product_changes(tx, std::slice::from_ref(product_id(&row)))
            .await?;
        Ok(row)
    }
}

/// Adds one SKU of `product_id` inside `tx`; its stock cannot start
/// negative.
async fn add_sku(
    tx: &mut Tx,
    product_id: &str,
    sku: NewSku,
    position: i64,
    now: i64,
) -> CatalogResult<Sku> {
    if sku.stock < 0 {
        return Err(
            InvalidInput::new("INVALID_QUANTITY", "stock", "stock cannot be negative").into(),
        );
    }
    Ok(store::insert_sku(tx, product_id, sku, position, now).await?)
}
