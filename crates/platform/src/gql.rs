//! GraphQL conventions shared by every subgraph: error codes in
//! `extensions.code`, typed payload errors, `Money` and the viewer guards.

use async_graphql::{Context, Error, ErrorExtensions, SimpleObject};

use crate::auth::Viewer;

mod money;

pub use money::{InvalidMinorUnits, MinorUnits, Money};

/// The protocol-level error codes of DESIGN.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    BadUserInput,
    NotFound,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::NotFound => "NOT_FOUND",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }

    /// A GraphQL error with this code in `extensions.code`.
    pub fn error(self, message: impl Into<String>) -> Error {
        Error::new(message).extend_with(|_, ext| ext.set("code", self.as_str()))
    }
}

/// Turns an internal failure into an opaque `INTERNAL` error, logging the
/// cause once instead of showing it to the client.
pub fn internal(error: impl Into<anyhow::Error>) -> Error {
    let error = error.into();
    tracing::error!(error.cause_chain = ?error, "internal error");
    ErrorCode::Internal.error("internal error")
}

/// A business failure reported in a mutation payload's `errors` list.
#[derive(Clone, Debug, SimpleObject, PartialEq, Eq)]
#[graphql(shareable)]
pub struct UserError {
    /// A stable, machine-readable code such as `EMAIL_TAKEN`.
    pub code: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl UserError {
    pub fn new(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// The verified caller, or `UNAUTHENTICATED`.
pub fn viewer<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Viewer> {
    ctx.data_opt::<Viewer>()
        .ok_or_else(|| ErrorCode::Unauthenticated.error("sign in to do this"))
}

/// The verified caller if it holds `scope`, else `UNAUTHENTICATED`/`FORBIDDEN`.
pub fn require_scope<'a>(ctx: &'a Context<'_>, scope: &str) -> async_graphql::Result<&'a Viewer> {
    let viewer = viewer(ctx)?;
    if viewer.has_scope(scope) {
        Ok(viewer)
    } else {
        Err(ErrorCode::Forbidden.error(format!("this needs the {scope} scope")))
    }
}

/// A database count or quantity (64-bit) as a GraphQL `Int` (32-bit),
/// saturated toward its own sign: past `i32::MAX` it reads `i32::MAX`, below
/// `i32::MIN` it reads `i32::MIN`. (Orders' copy used to turn every value out
/// of range into `i32::MAX`, so a deficit too large for an `Int`, such as a
/// flash-sale counter's drift, read as the largest surplus: the sign is the
/// part of a number a reader must never get wrong.)
pub fn int(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(if value < 0 { i32::MIN } else { i32::MAX })
}

/// A moment, in milliseconds since the Unix epoch: a JSON number. Its own
/// scalar because GraphQL's `Int` is 32 bits, too small for it (a router
/// rightly refuses such an `Int` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp(pub i64);

/// Milliseconds since the Unix epoch (a JSON number).
#[async_graphql::Scalar(name = "Timestamp")]
impl async_graphql::ScalarType for Timestamp {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            async_graphql::Value::Number(n) => n.as_i64().map(Timestamp).ok_or_else(|| {
                async_graphql::InputValueError::custom(
                    "a Timestamp is a whole number of milliseconds",
                )
            }),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::Number(self.0.into())
    }
}

#[cfg(test)]
mod tests {
    use super::int;

    #[test]
    fn int_keeps_values_in_range_and_saturates_toward_their_sign() {
        assert_eq!(int(0), 0);
        assert_eq!(int(-7), -7);
        assert_eq!(int(i64::from(i32::MAX)), i32::MAX);
        assert_eq!(int(i64::from(i32::MIN)), i32::MIN);
        assert_eq!(int(i64::from(i32::MAX) + 1), i32::MAX);
        assert_eq!(int(i64::MAX), i32::MAX);
        assert_eq!(int(i64::from(i32::MIN) - 1), i32::MIN);
        assert_eq!(int(i64::MIN), i32::MIN);
    }
}
