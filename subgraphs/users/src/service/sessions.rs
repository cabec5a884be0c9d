//! Sessions: a login starts a refresh-token family; each refresh spends the
//! presented token and issues the next one in the family; presenting a spent
//! token again means it was stolen (or replayed), so the whole family dies.

use sqlx::{Any, Transaction};

use super::Services;
use crate::{
    service::{
        auth::tokens::{new_refresh_token, refresh_token_hash},
        error::{Error, Result},
    },
    store::{
        refresh_tokens,
        users::{self, UserRow},
    },
};

/// What a successful sign-up, login or refresh hands the client.
pub struct Session {
    pub user: UserRow,
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

/// Starts a new family for `user` inside `tx` and returns its first token.
pub async fn start_family(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
) -> Result<String> {
    let family_id = uuid::Uuid::new_v4().to_string();
    issue_in_family(services, tx, user_id, &family_id).await
}

async fn issue_in_family(
    services: &Services,
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    family_id: &str,
) -> Result<String> {
    let token = new_refresh_token();
    let expires_at =
        platform::db::now_millis().saturating_add(services.tokens.refresh_ttl_millis());
    refresh_tokens::insert(
        tx,
        user_id,
        family_id,
        &refresh_token_hash(&token),
        expires_at,
    )
    .await?;
    Ok(token)
}

/// The session for `user` around an already issued refresh token.
pub fn session(services: &Services, user: UserRow, refresh_token: String) -> Result<Session> {
    let access = services.tokens.access_token(&user.id, user.role)?;
    Ok(Session {
        user,
        access_token: access.token,
        expires_in: access.expires_in,
        refresh_token,
    })
}

fn invalid_token() -> Error {
    Error::rejected(
        "INVALID_REFRESH_TOKEN",
        Some("refreshToken"),
        "the refresh token is invalid or has expired; sign in again",
    )
}

/// Spends `token` and issues the next one of its family.
pub async fn refresh(services: &Services, token: &str) -> Result<Session> {
    let mut tx = services.db.begin_write().await?;
    let Some(row) = refresh_tokens::by_hash(&mut tx, &refresh_token_hash(token)).await? else {
        return Err(invalid_token());
    };
    if row.revoked_at.is_some() || row.expires_at <= platform::db::now_millis() {
        return Err(invalid_token());
    }
    // A spent token presented again, or one that a concurrent refresh just
    // spent: treat both as theft and end the family.
    let reused = row.used_at.is_some() || !refresh_tokens::mark_used(&mut tx, &row.id).await?;
    if reused {
        refresh_tokens::revoke_family(&mut tx, &row.family_id).await?;
        tx.commit().await?;
        tracing::warn!(user_id = %row.user_id, "refresh token reused; family revoked");
        return Err(Error::rejected(
            "REFRESH_TOKEN_REUSED",
            Some("refreshToken"),
            "this refresh token was already used; every session of this login is signed out",
        ));
    }
    let user = users::by_id(&mut *tx, &row.user_id)
        .await?
        .ok_or_else(invalid_token)?;
    if user.is_frozen() {
        // Freezing already revoked the family; this only covers a race.
        refresh_tokens::revoke_family(&mut tx, &row.family_id).await?;
        tx.commit().await?;
        return Err(account_frozen());
    }
    let next = issue_in_family(services, &mut tx, &user.id, &row.family_id).await?;
    tx.commit().await?;
    session(services, user, next)
}

/// Ends the login that `token` belongs to (its whole family).
pub async fn logout(services: &Services, token: &str) -> Result<()> {
    let mut tx = services.db.begin_write().await?;
    let Some(row) = refresh_tokens::by_hash(&mut tx, &refresh_token_hash(token)).await? else {
        return Err(invalid_token());
    };
    refresh_tokens::revoke_family(&mut tx, &row.family_id).await?;
    tx.commit().await?;
    Ok(())
}

pub fn account_frozen() -> Error {
    Error::rejected("ACCOUNT_FROZEN", None, "this account is frozen")
}
