//! Free text with bounds: a person's name, address lines.

use super::Invalid;

/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text = bounded_text(raw, "name", MAX_NAME_CHARS)?;
        if text.is_empty() {
            return Err(Invalid::new("REQUIRED", "name", "a name is required"));
        }
        Ok(Self(text))
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// `raw` trimmed, refused when longer than `max` characters or when it
/// holds control characters (which no name or address line needs).
pub fn bounded_text(raw: &str, field: &'static str, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(Invalid::new(
            "TOO_LONG",
            field,
            format!("{field} has at most {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::new(
            "INVALID_VALUE",
            field,
            format!("{field} may not contain control characters"),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  王小明 ").unwrap().as_ref(), "王小明");
        assert_eq!(
            PersonName::parse(&"名".repeat(100))
                .unwrap()
                .as_ref()
                .chars()
                .count(),
            100
        );
        assert_eq!(
            PersonName::parse(&"名".repeat(101)).unwrap_err().code,
            "TOO_LONG"
        );
        assert_eq!(PersonName::parse("   ").unwrap_err().code, "REQUIRED");
        assert_eq!(
            PersonName::parse("a\u{0}b").unwrap_err().code,
            "INVALID_VALUE"
        );
    }
}
