//! An email address, trimmed and lower-cased so that lookups and the unique
//! constraint ignore case.

use super::Invalid;

/// The longest address SMTP allows (RFC 5321).
const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = raw.trim().to_lowercase();
        let invalid = || {
            Invalid::new(
                "INVALID_EMAIL",
                "email",
                "this is not a valid email address",
            )
        };
        if email.len() > MAX_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local.is_empty() || local.len() > MAX_LOCAL_LEN || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        assert_eq!(
            Email::parse("  Ada.Lovelace+shop@Example.COM ")
                .unwrap()
                .as_ref(),
            "ada.lovelace+shop@example.com"
        );
        assert!(Email::parse("张三@例子.中国").is_ok());
    }

    #[test]
    fn refuses_malformed_addresses() {
        for raw in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
            "a@-b.com",
            "a@b_c.com",
        ] {
            assert_eq!(
                Email::parse(raw).unwrap_err().code,
                "INVALID_EMAIL",
                "{raw:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(Email::parse(&long).is_err());
    }
}
