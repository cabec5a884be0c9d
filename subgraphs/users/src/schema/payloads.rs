//! Mutation payloads: the result when it worked, typed `errors` when not.

use async_graphql::{ID, SimpleObject};
use platform::gql::UserError;

use super::{address::Address, user::User};
use crate::service::sessions::Session;

/// A session's tokens. `accessToken` is a JWT for `Authorization: Bearer`;
/// `refreshToken` is single-use: trade it for the next pair.
#[derive(SimpleObject, Default)]
pub struct AuthPayload {
    pub access_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: Option<i64>,
    pub refresh_token: Option<String>,
    pub user: Option<User>,
    pub errors: Vec<UserError>,
}

impl AuthPayload {
    pub fn from_result(session: Option<Session>, errors: Vec<UserError>) -> Self {
        match session {
            Some(s) => Self {
                access_token: Some(s.access_token),
                expires_in: Some(s.expires_in),
                refresh_token: Some(s.refresh_token),
                user: Some(User(s.user)),
                errors,
            },
            None => Self {
                errors,
                ..Self::default()
            },
        }
    }
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    pub user: Option<User>,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct AddressPayload {
    pub address: Option<Address>,
    /// The owner, to re-read the address book after the change.
    pub user: Option<User>,
    pub errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct RemoveAddressPayload {
    pub removed_id: Option<ID>,
    pub user: Option<User>,
    pub errors: Vec<UserError>,
}
