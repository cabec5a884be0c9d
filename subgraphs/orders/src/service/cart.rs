//! The signed-in buyer's cart: adding a SKU (its product looked up in the
//! catalog), setting a line's quantity, removing a line, emptying it.

use platform::db::now_millis;

use crate::{
    domain::{MAX_LINES, MAX_QUANTITY, Quantity},
    service::{
        context::OrdersContext,
        error::{OrderError, OrderResult},
    },
    store::cart::{self, CartChange},
};

/// Adds `quantity` units of SKU `sku_id` to `user_id`'s cart (to its line
/// if there is one).
pub async fn add(
    service: &OrdersContext,
    user_id: &str,
    sku_id: &str,
    quantity: Quantity,
) -> OrderResult<()> {
    // SKU ids are UUIDs; anything else cannot name one (and the id
    // goes into a URL path).
    if uuid::Uuid::parse_str(sku_id).is_err() {
        return Err(OrderError::UnknownSku(sku_id.to_owned()));
    }
    let owner = service
        .catalog
        .sku_owner(sku_id)
        .await?
        .ok_or_else(|| OrderError::UnknownSku(sku_id.to_owned()))?;
    let mut tx = service.db.begin_write().await?;
    let outcome = cart::add(
        &mut tx,
        user_id,
        sku_id,
        &owner.product_id,
        quantity.get(),
        MAX_QUANTITY,
        now_millis(),
    )
    .await?;
    tx.commit().await?;
    change(outcome, sku_id)
}

/// Sets the quantity of `user_id`'s line of SKU `sku_id`.
pub async fn set_quantity(
    service: &OrdersContext,
    user_id: &str,
    sku_id: &str,
    quantity: Quantity,
) -> OrderResult<()> {
    let outcome = cart::set_quantity(
        service.db.pool(),
        user_id,
        sku_id,
        quantity.get(),
        now_millis(),
    )
    .await?;
    change(outcome, sku_id)
}

/// Removes `user_id`'s line of SKU `sku_id`.
pub async fn remove(service: &OrdersContext, user_id: &str, sku_id: &str) -> OrderResult<()> {
    let outcome = cart::remove(service.db.pool(), user_id, sku_id).await?;
    change(outcome, sku_id)
}

/// Empties `user_id`'s cart.
pub async fn clear(service: &OrdersContext, user_id: &str) -> OrderResult<()> {
    let mut tx = service.db.begin_write().await?;
    cart::clear(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

fn change(outcome: CartChange, sku_id: &str) -> OrderResult<()> {
    match outcome {
        CartChange::Done => Ok(()),
        CartChange::Full => Err(OrderError::business(
            "CART_FULL",
            Some("skuId"),
            format!("a cart holds at most {MAX_LINES} lines"),
        )),
        CartChange::NoSuchLine => Err(OrderError::business(
            "NOT_IN_CART",
            Some("skuId"),
            format!("SKU {sku_id} is not in the cart"),
        )),
    }
}
