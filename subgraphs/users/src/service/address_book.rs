//! The address book and its rule: a user with addresses has exactly one
//! default. Each change runs in one write transaction that first locks the
//! user, so concurrent changes to one book cannot break the rule.

use sqlx::{Any, Transaction};

use super::Services;
use crate::{
    domain::{AddressFields, AddressInputRaw},
    service::error::{Error, Result},
    store::{
        addresses::{self, AddressRow},
        lock_user,
    },
};

/// How many addresses one user may keep.
pub const MAX_ADDRESSES: i64 = 50;

async fn begin(services: &Services, user_id: &str) -> Result<Transaction<'static, Any>> {
    let mut tx = services.db.begin_write().await?;
    if !lock_user(&mut tx, services.db.engine(), user_id).await? {
        return Err(Error::not_found("id", "user"));
    }
    Ok(tx)
}

fn address_not_found() -> Error {
    Error::not_found("id", "address")
}

/// Address `address_id` of user `user_id`; `None` when it does not exist
/// or belongs to another user (the two look alike).
pub async fn find(
    services: &Services,
    user_id: &str,
    address_id: &str,
) -> sqlx::Result<Option<AddressRow>> {
    addresses::find(services.db.pool(), user_id, address_id).await
}

/// Adds an address; the first one, or one asked to be, becomes the default.
pub async fn add(
    services: &Services,
    user_id: &str,
    input: AddressInputRaw,
    make_default: bool,
) -> Result<AddressRow> {
    let fields = AddressFields::try_from(input)?;
    let mut tx = begin(services, user_id).await?;
    let count = addresses::count(&mut tx, user_id).await?;
    if count >= MAX_ADDRESSES {
        return Err(Error::rejected(
            "ADDRESS_LIMIT",
            None,
            format!("an address book holds at most {MAX_ADDRESSES} addresses"),
        ));
    }
    let is_default = make_default || count == 0;
    if is_default {
        // Clear the old default before the insert: the unique index allows one.
        addresses::clear_default(&mut tx, user_id).await?;
    }
    let row = addresses::insert(&mut tx, user_id, &fields, is_default).await?;
    tx.commit().await?;
    Ok(row)
}

/// Changes the given parts of an address; the rest stay.
pub async fn update(
    services: &Services,
    user_id: &str,
    address_id: &str,
    patch: impl FnOnce(AddressInputRaw) -> AddressInputRaw,
) -> Result<AddressRow> {
    let mut tx = begin(services, user_id).await?;
    let current = addresses::one(&mut tx, user_id, address_id)
        .await?
        .ok_or_else(address_not_found)?;
    let raw = patch(AddressInputRaw::from(current.fields.clone()));
    let fields = AddressFields::try_from(raw)?;
    addresses::update(&mut tx, address_id, &fields).await?;
    tx.commit().await?;
    Ok(AddressRow { fields, ..current })
}

/// Removes an address; when it was the default, the oldest remaining one
/// becomes the default.
pub async fn remove(services: &Services, user_id: &str, address_id: &str) -> Result<()> {
    let mut tx = begin(services, user_id).await?;
    let current = addresses::one(&mut tx, user_id, address_id)
        .await?
        .ok_or_else(address_not_found)?;
    addresses::delete(&mut tx, address_id).await?;
    if current.is_default
        && let Some(next) = addresses::oldest(&mut tx, user_id).await?
    {
        addresses::make_default(&mut tx, user_id, &next).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_default(
    services: &Services,
    user_id: &str,
    address_id: &str,
) -> Result<AddressRow> {
    let mut tx = begin(services, user_id).await?;
    let current = addresses::one(&mut tx, user_id, address_id)
        .await?
        .ok_or_else(address_not_found)?;
    addresses::make_default(&mut tx, user_id, address_id).await?;
    tx.commit().await?;
    Ok(AddressRow {
        is_default: true,
        ..current
    })
}
