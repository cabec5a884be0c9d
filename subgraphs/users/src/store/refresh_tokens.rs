//! The `refresh_token` table: one row per issued token, grouped in families
//! (one per login), keyed by the token's SHA-256.

use platform::db::now_millis;
use sqlx::{Any, Row, Transaction};

#[derive(Clone, Debug)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_token (refresh_token_id, user_id, family_id, token_hash, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(family_id)
    .bind(token_hash)
    .bind(now_millis())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn by_hash(
    tx: &mut Transaction<'static, Any>,
    token_hash: &str,
) -> sqlx::Result<Option<RefreshTokenRow>> {
    let row = sqlx::query(
        "SELECT refresh_token_id, user_id, family_id, expires_at, used_at, revoked_at \
         FROM refresh_token WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| {
        Ok(RefreshTokenRow {
            id: row.try_get("refresh_token_id")?,
            user_id: row.try_get("user_id")?,
            family_id: row.try_get("family_id")?,
            expires_at: row.try_get("expires_at")?,
            used_at: row.try_get("used_at")?,
            revoked_at: row.try_get("revoked_at")?,
        })
    })
    .transpose()
}

/// Marks a token spent; false when it already was (or was revoked), which
/// is how a concurrent second use of the same token is caught.
pub async fn mark_used(tx: &mut Transaction<'static, Any>, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE refresh_token SET used_at = $2 \
         WHERE refresh_token_id = $1 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn revoke_family(
    tx: &mut Transaction<'static, Any>,
    family_id: &str,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE refresh_token SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub async fn revoke_user(tx: &mut Transaction<'static, Any>, user_id: &str) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE refresh_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
