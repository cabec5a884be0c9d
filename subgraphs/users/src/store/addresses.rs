//! The `address` table. The one-default rule is kept by the callers in
//! `service::address_book`, inside one write transaction each.

use platform::db::{now_millis, placeholders};
use sqlx::{
    Any, Row, Transaction,
    any::{AnyArguments, AnyRow},
    query::Query,
};

use crate::domain::AddressFields;

const COLUMNS: &str = "address_id, user_id, recipient, phone, line1, line2, city, region, \
                       postal_code, country, is_default";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressRow {
    pub id: String,
    pub user_id: String,
    pub fields: AddressFields,
    pub is_default: bool,
}

impl AddressRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        let is_default: i64 = row.try_get("is_default")?;
        Ok(Self {
            id: row.try_get("address_id")?,
            user_id: row.try_get("user_id")?,
            fields: AddressFields {
                recipient: row.try_get("recipient")?,
                phone: row.try_get("phone")?,
                line1: row.try_get("line1")?,
                line2: row.try_get("line2")?,
                city: row.try_get("city")?,
                region: row.try_get("region")?,
                postal_code: row.try_get("postal_code")?,
                country: row.try_get("country")?,
            },
            is_default: is_default == 1,
        })
    }
}

/// Binds the parts of `fields` in the order of their columns: recipient,
/// phone, line1, line2, city, region, postal_code, country.
fn bind_fields<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    fields: &'q AddressFields,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(&fields.recipient)
        .bind(&fields.phone)
        .bind(&fields.line1)
        .bind(&fields.line2)
        .bind(&fields.city)
        .bind(&fields.region)
        .bind(&fields.postal_code)
        .bind(&fields.country)
}

/// Every address of the users in `user_ids`, in one query, in the order
/// they were added.
pub async fn for_users<'e>(
    executor: impl sqlx::any::AnyExecutor<'e>,
    user_ids: &[String],
) -> sqlx::Result<Vec<AddressRow>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM address WHERE user_id IN ({}) ORDER BY created_at, address_id",
        placeholders(1, user_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in user_ids {
        query = query.bind(id);
    }
    query
        .fetch_all(executor)
        .await?
        .iter()
        .map(AddressRow::from_row)
        .collect()
}

/// One address of `user_id` inside a write transaction; another user's
/// address is not found.
pub async fn one(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    address_id: &str,
) -> sqlx::Result<Option<AddressRow>> {
    find(&mut **tx, user_id, address_id).await
}

/// One address of `user_id` on any executor; another user's address is not
/// found.
pub async fn find<'e>(
    executor: impl sqlx::any::AnyExecutor<'e>,
    user_id: &str,
    address_id: &str,
) -> sqlx::Result<Option<AddressRow>> {
    let sql = format!("SELECT {COLUMNS} FROM address WHERE address_id = $1 AND user_id = $2");
    sqlx::query(&sql)
        .bind(address_id)
        .bind(user_id)
        .fetch_optional(executor)
        .await?
        .as_ref()
        .map(AddressRow::from_row)
        .transpose()
}

pub async fn count(tx: &mut Transaction<'static, Any>, user_id: &str) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM address WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}

pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    fields: &AddressFields,
    is_default: bool,
) -> sqlx::Result<AddressRow> {
    let id = uuid::Uuid::now_v7().to_string();
    let insert = sqlx::query(
        "INSERT INTO address (address_id, user_id, recipient, phone, line1, line2, city, region, \
         postal_code, country, is_default, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&id)
    .bind(user_id);
    bind_fields(insert, fields)
        .bind(i64::from(is_default))
        .bind(now_millis())
        .execute(&mut **tx)
        .await?;
    Ok(AddressRow {
        id,
        user_id: user_id.to_owned(),
        fields: fields.clone(),
        is_default,
    })
}

pub async fn update(
    tx: &mut Transaction<'static, Any>,
    address_id: &str,
    fields: &AddressFields,
) -> sqlx::Result<()> {
    let update = sqlx::query(
        "UPDATE address SET recipient = $2, phone = $3, line1 = $4, line2 = $5, city = $6, \
         region = $7, postal_code = $8, country = $9, updated_at = $10 WHERE address_id = $1",
    )
    .bind(address_id);
    bind_fields(update, fields)
        .bind(now_millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Transaction<'static, Any>, address_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM address WHERE address_id = $1")
        .bind(address_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Clears the user's default, ahead of inserting or making a new default
/// address (the partial unique index allows one).
pub async fn clear_default(tx: &mut Transaction<'static, Any>, user_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE address SET is_default = 0, updated_at = $2 WHERE user_id = $1 AND is_default = 1",
    )
    .bind(user_id)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `address_id` the user's only default. The old default is cleared
/// first, so the partial unique index never sees two.
pub async fn make_default(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    address_id: &str,
) -> sqlx::Result<()> {
    clear_default(tx, user_id).await?;
    sqlx::query(
        "UPDATE address SET is_default = 1, updated_at = $3 WHERE address_id = $2 AND user_id = $1",
    )
    .bind(user_id)
    .bind(address_id)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id of the address to promote when the default goes: the oldest.
pub async fn oldest(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query(
        "SELECT address_id FROM address WHERE user_id = $1 ORDER BY created_at, address_id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| row.try_get("address_id"))
    .transpose()
}
