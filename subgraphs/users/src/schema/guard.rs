//! Who may do what: the signed-in user (as stored now, so a frozen account
//! is refused even while its access token lives) and administrators.

use async_graphql::{Context, dataloader::DataLoader};
use platform::{
    auth::ADMIN_SCOPE,
    gql::{ErrorCode, internal, require_scope, viewer},
};

use crate::store::{loaders::UserLoader, users::UserRow};

/// The caller's account, or UNAUTHENTICATED / FORBIDDEN.
pub async fn current_user(ctx: &Context<'_>) -> async_graphql::Result<UserRow> {
    let viewer = viewer(ctx)?;
    let user = ctx
        .data::<DataLoader<UserLoader>>()?
        .load_one(viewer.user_id.clone())
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            ErrorCode::Unauthenticated.error("the signed-in account no longer exists")
        })?;
    if user.is_frozen() {
        return Err(ErrorCode::Forbidden.error("this account is frozen"));
    }
    Ok(user)
}

/// The caller's account when it holds the admin scope.
pub async fn current_admin(ctx: &Context<'_>) -> async_graphql::Result<UserRow> {
    require_scope(ctx, ADMIN_SCOPE)?;
    current_user(ctx).await
}

/// Whether the caller may see `user_id`'s private fields: only that user
/// or an administrator. Errors say why not.
pub fn require_self_or_admin(ctx: &Context<'_>, user_id: &str) -> async_graphql::Result<()> {
    let viewer = viewer(ctx)?;
    if viewer.user_id == user_id || viewer.is_admin() {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden.error("only the user themself or an administrator may see this"))
    }
}
