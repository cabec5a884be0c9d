//! Sign-up, login, refresh and logout: open to anyone.

use async_graphql::{Context, Object};
use platform::server::ClientAddress;

use crate::{
    schema::{
        inputs::{LoginInput, SignUpInput},
        payloads::{AuthPayload, LogoutPayload},
    },
    service::{Services, accounts, error::into_payload, sessions},
};

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Creates a customer account and signs it in.
    async fn sign_up(
        &self,
        ctx: &Context<'_>,
        input: SignUpInput,
    ) -> async_graphql::Result<AuthPayload> {
        let services = ctx.data::<Services>()?;
        let result = accounts::sign_up(services, &input.email, &input.name, &input.password).await;
        let (session, errors) = into_payload(result)?;
        Ok(AuthPayload::from_result(session, errors))
    }

    /// Signs in. A wrong password and an unknown email get the same
    /// `INVALID_CREDENTIALS`. After too many failures for the account or
    /// from the client, a `RATE_LIMITED` error with `retryAfter` seconds
    /// until the window of failures ends.
    async fn login(
        &self,
        ctx: &Context<'_>,
        input: LoginInput,
    ) -> async_graphql::Result<AuthPayload> {
        let services = ctx.data::<Services>()?;
        // Set for every HTTP request; a schema executed in-process has no
        // client to count failures against, only the account.
        let client = ctx.data_opt::<ClientAddress>().copied().unwrap_or_default();
        let result = accounts::login(services, &input.email, &input.password, &client).await;
        let (session, errors) = into_payload(result)?;
        Ok(AuthPayload::from_result(session, errors))
    }

    /// Trades a refresh token for a new token pair. Each refresh token works
    /// once; using one twice signs out the whole login (`REFRESH_TOKEN_REUSED`).
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<AuthPayload> {
        let services = ctx.data::<Services>()?;
        let (session, errors) = into_payload(sessions::refresh(services, &refresh_token).await)?;
        Ok(AuthPayload::from_result(session, errors))
    }

    /// Ends the login the refresh token belongs to.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<LogoutPayload> {
        let services = ctx.data::<Services>()?;
        let (done, errors) = into_payload(sessions::logout(services, &refresh_token).await)?;
        Ok(LogoutPayload {
            ok: done.is_some(),
            errors,
        })
    }
}
