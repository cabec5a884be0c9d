//! Validated values: every input becomes one of these once, through
//! `parse`, before anything touches the database. No sqlx, no GraphQL here.

mod address;
mod email;
mod name;
mod password;
mod role;

pub use address::{AddressFields, AddressInputRaw};
pub use email::Email;
pub use name::{PersonName, bounded_text};
pub use password::Password;
pub use role::Role;

/// Why an input was refused: a stable code, the input field at fault and a
/// message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}
