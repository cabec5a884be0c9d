//! The orders service's error, what its use cases return: business
//! failures become typed payload errors (`errors { code field message }`),
//! everything else an opaque INTERNAL GraphQL error that is logged once.

use platform::gql::{UserError, internal};

use crate::domain::{InvalidInput, OrderStatus, Transition};

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    /// No such order, or not one the caller may see (the two look alike so
    /// that order ids cannot be probed).
    #[error("no such order")]
    NotFound,
    #[error("only an administrator may do this")]
    AdminOnly,
    #[error("the order is {from} and cannot be {action}")]
    IllegalTransition {
        from: OrderStatus,
        action: &'static str,
    },
    #[error("SKU {0} does not have enough stock")]
    OutOfStock(String),
    #[error("SKU {0} does not exist")]
    UnknownSku(String),
    #[error("{message}")]
    Business {
        code: &'static str,
        field: Option<&'static str>,
        message: String,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for OrderError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl OrderError {
    pub fn business(
        code: &'static str,
        field: Option<&'static str>,
        message: impl Into<String>,
    ) -> Self {
        Self::Business {
            code,
            field,
            message: message.into(),
        }
    }

    pub fn illegal(from: OrderStatus, transition: Transition) -> Self {
        let action = match transition {
            Transition::Pay => "paid",
            Transition::Cancel | Transition::Expire => "cancelled",
            Transition::Ship => "shipped",
            Transition::Deliver => "marked delivered",
            Transition::ConfirmReceipt => "confirmed as received",
            Transition::RequestRefund => "refunded on request",
            Transition::ApproveRefund => "refunded",
            Transition::RejectRefund => "refused a refund",
            Transition::ReceiveReturn => "returned (only goods refunded after shipping come back)",
        };
        Self::IllegalTransition { from, action }
    }

    /// The stable code and the message of a business failure (INTERNAL
    /// for anything else).
    pub fn code_and_message(&self) -> (&'static str, String) {
        let code = match self {
            Self::Invalid(e) => e.code,
            Self::NotFound => "ORDER_NOT_FOUND",
            Self::AdminOnly => "FORBIDDEN",
            Self::IllegalTransition { .. } => "ILLEGAL_TRANSITION",
            Self::OutOfStock(_) => "OUT_OF_STOCK",
            Self::UnknownSku(_) => "UNKNOWN_SKU",
            Self::Business { code, .. } => code,
            Self::Internal(_) => "INTERNAL",
        };
        (code, self.to_string())
    }

    /// The input field at fault, when there is one.
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(e) => Some(e.field),
            Self::NotFound => Some("orderId"),
            Self::OutOfStock(_) | Self::UnknownSku(_) => Some("lines"),
            Self::Business { field, .. } => *field,
            Self::AdminOnly | Self::IllegalTransition { .. } | Self::Internal(_) => None,
        }
    }

    /// The payload error for a business failure; INTERNAL (as a GraphQL
    /// error) for anything else.
    pub fn into_user_error(self) -> async_graphql::Result<UserError> {
        if let Self::Internal(e) = self {
            return Err(internal(e));
        }
        let (code, message) = self.code_and_message();
        Ok(UserError::new(code, self.field(), message))
    }
}

pub type OrderResult<T> = Result<T, OrderError>;
