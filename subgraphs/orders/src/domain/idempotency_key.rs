//! The client's idempotency key for creating mutations (placeOrder,
//! payOrder): a repeat with the same key returns the first result.

use super::InvalidInput;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let key = raw.trim();
        let valid = (8..=128).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
        if valid {
            Ok(Self(key.to_owned()))
        } else {
            Err(InvalidInput::new(
                "INVALID_IDEMPOTENCY_KEY",
                "idempotencyKey",
                "the idempotency key must be 8 to 128 letters, digits or - _ . :",
            ))
        }
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_printable_tokens() {
        assert!(IdempotencyKey::parse("0c9e3c0e-aaaa-4bbb-8ccc-123456789abc").is_ok());
        assert!(IdempotencyKey::parse("short").is_err());
        assert!(IdempotencyKey::parse("has spaces in it").is_err());
        assert!(IdempotencyKey::parse(&"x".repeat(129)).is_err());
    }
}
