//! The signed-in user's own account.

use async_graphql::{Context, Object};
use platform::federation::authenticated;

use crate::{
    schema::{
        guard::current_user,
        inputs::{ChangePasswordInput, UpdateProfileInput},
        payloads::{AuthPayload, UserPayload},
        user::User,
    },
    service::{Services, accounts, error::into_payload},
};

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    #[graphql(directive = authenticated::apply())]
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> async_graphql::Result<UserPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let (user, errors) =
            into_payload(accounts::update_profile(services, &user, &input.name).await)?;
        Ok(UserPayload {
            user: user.map(User),
            errors,
        })
    }

    /// Changes the password and signs out every other session; the payload
    /// carries this session's new tokens.
    #[graphql(directive = authenticated::apply())]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> async_graphql::Result<AuthPayload> {
        let user = current_user(ctx).await?;
        let services = ctx.data::<Services>()?;
        let result = accounts::change_password(
            services,
            &user,
            &input.current_password,
            &input.new_password,
        )
        .await;
        let (session, errors) = into_payload(result)?;
        Ok(AuthPayload::from_result(session, errors))
    }
}
