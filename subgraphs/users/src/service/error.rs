//! The service error, what the use cases return: a business refusal the
//! caller can act on (reported in a payload's `errors`), or an internal
//! failure (logged, shown as INTERNAL).

use async_graphql::ErrorExtensions;
use platform::gql::{ErrorCode, UserError};

use crate::{
    domain::Invalid,
    service::login_throttle::{Scope, Throttled},
};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more refusals (sign-up reports every bad field at once).
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Rejected(Vec<UserError>),
    /// Too many failed logins: a GraphQL error, not a payload entry, so
    /// that clients handle it as they handle the router's rate limits.
    #[error("too many failed logins")]
    Throttled(Throttled),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn rejected(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self::Rejected(vec![UserError::new(code, field, message)])
    }

    pub fn not_found(field: &str, what: &str) -> Self {
        Self::rejected("NOT_FOUND", Some(field), format!("no such {what}"))
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

impl From<Invalid> for Error {
    fn from(invalid: Invalid) -> Self {
        Self::from(vec![invalid])
    }
}

impl From<Vec<Invalid>> for Error {
    fn from(invalid: Vec<Invalid>) -> Self {
        Self::Rejected(
            invalid
                .into_iter()
                .map(|i| UserError::new(i.code, Some(i.field), i.message))
                .collect(),
        )
    }
}

/// Splits a service result into a payload's value and its `errors`; an
/// internal failure becomes a GraphQL error instead.
pub fn into_payload<T>(result: Result<T>) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(Error::Rejected(errors)) => Ok((None, errors)),
        Err(Error::Throttled(throttled)) => Err(throttled_error(throttled)),
        Err(Error::Internal(error)) => Err(platform::gql::internal(error)),
    }
}

/// `RATE_LIMITED` with `retryAfter` in whole seconds, rounded up (as the
/// router's own rate limits say it).
fn throttled_error(throttled: Throttled) -> async_graphql::Error {
    let seconds = throttled.retry_after.as_millis().div_ceil(1000).max(1) as u64;
    let whose = match throttled.per {
        Scope::Account => "for this account",
        Scope::Client => "from this address",
    };
    ErrorCode::RateLimited
        .error(format!(
            "too many failed logins {whose}; try again in {seconds} seconds"
        ))
        .extend_with(|_, ext| ext.set("retryAfter", seconds))
}
