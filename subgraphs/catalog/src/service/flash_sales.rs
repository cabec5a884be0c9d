//! Flash sales: a SKU sold at a sale price, in a limited quantity, within a
//! time window, at most `per_user_limit` per buyer. Buying is the orders
//! service's; the catalog defines and publishes them.

use platform::db::now_millis;

use super::Catalog;
use super::error::{CatalogError, CatalogResult};
use crate::{
    domain::InvalidInput,
    store::{self, FlashSale, NewFlashSale},
};

/// Checks the numbers that do not need the database.
fn validate(sale: &NewFlashSale) -> Result<(), InvalidInput> {
    if sale.quantity <= 0 {
        return Err(InvalidInput::new(
            "INVALID_QUANTITY",
            "quantity",
            "the quantity must be positive",
        ));
    }
    if sale.per_user_limit <= 0 {
        return Err(InvalidInput::new(
            "INVALID_QUANTITY",
            "perUserLimit",
            "the per-user limit must be positive",
        ));
    }
    if sale.ends_at <= sale.starts_at {
        return Err(InvalidInput::new(
            "INVALID_WINDOW",
            "endsAt",
            "a sale must end after it starts",
        ));
    }
    Ok(())
}

impl Catalog {
    /// Creates a sale of an active SKU; it may not offer more units than
    /// the SKU has in stock now.
    pub async fn create_flash_sale(&self, sale: NewFlashSale) -> CatalogResult<FlashSale> {
        validate(&sale)?;
        let mut tx = self.store.begin_write().await?;
        let stock = store::active_sku_stock(&mut tx, &sale.sku_id)
            .await?
            .ok_or_else(|| CatalogError::not_found("SKU", "skuId"))?;
        if stock < sale.quantity {
            return Err(CatalogError::conflict(
                "INSUFFICIENT_STOCK",
                "quantity",
                format!("the SKU has {stock} in stock"),
            ));
        }
        let created = store::insert_flash_sale(&mut tx, &sale, now_millis()).await?;
        tx.commit().await?;
        Ok(created)
    }
}
