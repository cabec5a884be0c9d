//! Bounded, trimmed text values. Lengths count characters, not bytes, so a
//! Chinese name gets the same room as an English one.

use super::InvalidInput;

/// Declares a trimmed text newtype with a length range.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: String) -> Result<Self, InvalidInput> {
                let trimmed = raw.trim();
                let chars = trimmed.chars().count();
                let min: usize = $min;
                if chars < min {
                    return Err(InvalidInput::new(
                        "INVALID_LENGTH",
                        $field,
                        concat!($field, " cannot be empty"),
                    ));
                }
                if chars > $max {
                    return Err(InvalidInput::new(
                        "INVALID_LENGTH",
                        $field,
                        format!(concat!($field, " is longer than {} characters"), $max),
                    ));
                }
                if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                    return Err(InvalidInput::new(
                        "INVALID_CHARACTERS",
                        $field,
                        concat!($field, " contains control characters"),
                    ));
                }
                Ok(Self(trimmed.to_owned()))
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

bounded_text!(
    /// A product's display name.
    ProductName, "name", 1, 120
);
bounded_text!(
    /// A category's display name.
    CategoryName, "name", 1, 50
);
bounded_text!(
    /// A SKU's option name ("黑色 128GB", "Size 42").
    SkuName, "name", 1, 60
);
bounded_text!(
    /// A product's description (may be empty).
    Description, "description", 0, 5000
);
bounded_text!(
    /// A brand name.
    Brand, "brand", 1, 60
);
bounded_text!(
    /// A product tag.
    Tag, "tags", 1, 30
);
bounded_text!(
    /// The text of a review or reply.
    ReviewBody, "body", 1, 2000
);

/// An image URL: absolute http(s), bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUrl(String);

impl ImageUrl {
    const MAX_CHARS: usize = 500;

    pub fn parse(raw: String) -> Result<Self, InvalidInput> {
        let url = raw.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        let host_ok = url
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
        if !scheme_ok || !host_ok || url.chars().any(char::is_whitespace) {
            return Err(InvalidInput::new(
                "INVALID_URL",
                "images",
                "an image is an absolute http(s) URL",
            ));
        }
        if url.chars().count() > Self::MAX_CHARS {
            return Err(InvalidInput::new(
                "INVALID_URL",
                "images",
                "an image URL is longer than 500 characters",
            ));
        }
        Ok(Self(url.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(
            ProductName::parse("  手机  ".into()).map(ProductName::into_inner),
            Ok("手机".into())
        );
        assert!(ProductName::parse("   ".into()).is_err());
        assert!(ProductName::parse("机".repeat(120)).is_ok());
        assert!(ProductName::parse("机".repeat(121)).is_err());
        assert!(ProductName::parse("a\u{0}b".into()).is_err());
        assert!(Description::parse(String::new()).is_ok());
    }

    #[test]
    fn image_urls_must_be_absolute_http() {
        assert!(ImageUrl::parse("https://img.example.com/a.jpg".into()).is_ok());
        assert!(ImageUrl::parse("ftp://x/a.jpg".into()).is_err());
        assert!(ImageUrl::parse("https:///a.jpg".into()).is_err());
        assert!(ImageUrl::parse("https://x/a b.jpg".into()).is_err());
    }
}
