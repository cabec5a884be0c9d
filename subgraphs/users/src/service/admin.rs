//! Account administration.

use super::Services;
use crate::{
    service::error::{Error, Result},
    store::{
        lock_user, refresh_tokens,
        users::{self, UserRow},
    },
};

/// Freezes or unfreezes `target_id`. Freezing also revokes every refresh
/// token of the account, in the same transaction, so no session outlives
/// it, and then its access tokens, which every service refuses from then on.
pub async fn set_frozen(
    services: &Services,
    admin_id: &str,
    target_id: &str,
    frozen: bool,
) -> Result<UserRow> {
    if frozen && admin_id == target_id {
        return Err(Error::rejected(
            "CANNOT_FREEZE_SELF",
            Some("id"),
            "an administrator cannot freeze their own account",
        ));
    }
    let mut tx = services.db.begin_write().await?;
    if !lock_user(&mut tx, services.db.engine(), target_id).await? {
        return Err(Error::not_found("id", "user"));
    }
    users::set_frozen(&mut tx, target_id, frozen).await?;
    if frozen {
        refresh_tokens::revoke_user(&mut tx, target_id).await?;
    }
    let user = users::by_id(&mut *tx, target_id)
        .await?
        .ok_or_else(|| Error::not_found("id", "user"))?;
    tx.commit().await?;
    if frozen {
        let now = platform::db::now_millis() / 1000;
        let ttl = services.tokens.access_ttl();
        if let Err(error) = services.revocations.revoke(target_id, now, ttl).await {
            // The account stays frozen and signed out; its access tokens run
            // out on their short expiry instead.
            tracing::error!(error.cause_chain = ?error, user_id = %target_id,
                "could not revoke the access tokens of a frozen account");
        }
    }
    Ok(user)
}

/// One page of users in sign-up order, after the user id `after`,
/// optionally only those whose email or name contains `search`.
pub struct UserPage {
    pub users: Vec<UserRow>,
    pub has_next: bool,
}

/// Up to `first` users (see [`UserPage`]).
pub async fn users_page(
    services: &Services,
    search: Option<&str>,
    after: Option<&str>,
    first: usize,
) -> sqlx::Result<UserPage> {
    // One row more than asked tells whether there is a next page.
    let limit = i64::try_from(first).unwrap_or(i64::MAX).saturating_add(1);
    let mut users = users::page(&services.db, search, after, limit).await?;
    let has_next = users.len() > first;
    users.truncate(first);
    Ok(UserPage { users, has_next })
}
