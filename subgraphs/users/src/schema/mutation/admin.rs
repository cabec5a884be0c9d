//! Account administration (admin scope).

use async_graphql::{Context, ID, Object};

use crate::{
    schema::{guard::current_admin, payloads::UserPayload, user::User},
    service::{Services, admin, error::into_payload},
};

#[derive(Default)]
pub struct AdminMutation;

impl AdminMutation {
    async fn set_frozen(
        ctx: &Context<'_>,
        id: ID,
        frozen: bool,
    ) -> async_graphql::Result<UserPayload> {
        let me = current_admin(ctx).await?;
        let services = ctx.data::<Services>()?;
        let (user, errors) = into_payload(admin::set_frozen(services, &me.id, &id, frozen).await)?;
        Ok(UserPayload {
            user: user.map(User),
            errors,
        })
    }
}

#[Object]
impl AdminMutation {
    /// Freezes an account: it can no longer sign in or refresh, and its
    /// refresh tokens are revoked.
    #[graphql(requires_scopes = "admin")]
    async fn freeze_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<UserPayload> {
        Self::set_frozen(ctx, id, true).await
    }

    #[graphql(requires_scopes = "admin")]
    async fn unfreeze_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<UserPayload> {
        Self::set_frozen(ctx, id, false).await
    }
}
