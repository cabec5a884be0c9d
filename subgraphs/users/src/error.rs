//! The service error: a business refusal the caller can act on (reported in
//! a payload's `errors`), or an internal failure (logged, shown as INTERNAL).

use platform::gql::UserError;

use crate::domain::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more refusals (sign-up reports every bad field at once).
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Rejected(Vec<UserError>),
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
        Err(Error::Internal(error)) => Err(platform::gql::internal(error)),
    }
}
