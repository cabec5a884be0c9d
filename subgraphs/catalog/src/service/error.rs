//! The catalog's service error, what its use cases return: business
//! failures that callers (`schema`) report as typed errors, and internal
//! failures that are logged and masked.

use platform::gql::{UserError, internal};

use crate::domain::InvalidInput;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("{what} not found")]
    NotFound {
        what: &'static str,
        field: &'static str,
    },
    #[error("not enough stock")]
    InsufficientStock,
    /// A request that contradicts the data (a category moved under itself, a
    /// tree deeper than three levels).
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for CatalogError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(error).context("catalog database"))
    }
}

impl CatalogError {
    pub fn not_found(what: &'static str, field: &'static str) -> Self {
        Self::NotFound { what, field }
    }

    pub fn conflict(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            field,
            message: message.into(),
        }
    }

    /// The payload error for a business failure; an internal failure becomes
    /// an opaque GraphQL `INTERNAL` error instead.
    pub fn into_user_error(self) -> async_graphql::Result<UserError> {
        Ok(match self {
            Self::Invalid(e) => UserError::new(e.code, Some(e.field), e.message),
            Self::NotFound { what, field } => {
                UserError::new("NOT_FOUND", Some(field), format!("{what} not found"))
            }
            Self::InsufficientStock => UserError::new(
                "INSUFFICIENT_STOCK",
                Some("delta"),
                "stock cannot go below zero",
            ),
            Self::Conflict {
                code,
                field,
                message,
            } => UserError::new(code, Some(field), message),
            Self::Internal(e) => return Err(internal(e)),
        })
    }
}

pub type CatalogResult<T> = Result<T, CatalogError>;
