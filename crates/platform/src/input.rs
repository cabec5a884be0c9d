//! Why an input value was refused: what each service's domain types say
//! when parsing fails, named by the field at fault, and what becomes a
//! payload's `UserError { code field message }`.

/// An input value refused by its domain type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
}

impl InvalidInput {
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
