//! A new password: long enough and not made of one class of character.
//! (Passwords presented at login are not parsed: they are only compared.)

use super::Invalid;

const MIN_CHARS: usize = 8;
/// Long enough for any passphrase, short enough that hashing stays cheap.
const MAX_CHARS: usize = 256;

pub struct Password(String);

impl Password {
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, Invalid> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(Invalid::new(
                "WEAK_PASSWORD",
                field,
                format!("a password needs at least {MIN_CHARS} characters"),
            ));
        }
        if chars > MAX_CHARS {
            return Err(Invalid::new(
                "TOO_LONG",
                field,
                format!("a password has at most {MAX_CHARS} characters"),
            ));
        }
        // Uncased letters (Chinese, say) are a class of their own.
        let classes = [
            raw.chars().any(|c| c.is_lowercase()),
            raw.chars().any(|c| c.is_uppercase()),
            raw.chars()
                .any(|c| c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()),
            raw.chars().any(|c| c.is_numeric()),
            raw.chars().any(|c| !c.is_alphanumeric()),
        ];
        if classes.iter().filter(|&&present| present).count() < 2 {
            return Err(Invalid::new(
                "WEAK_PASSWORD",
                field,
                "mix at least two of: lower case, upper case, other letters, digits, symbols",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

impl AsRef<str> for Password {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mixed_passwords() {
        for raw in [
            "customer-pass-1",
            "abcdefg1",
            "ABCDEFGh",
            "密码很长很长很长1",
        ] {
            assert!(Password::parse(raw, "password").is_ok(), "{raw:?}");
        }
    }

    #[test]
    fn refuses_short_or_single_class_passwords() {
        for raw in [
            "",
            "a1",
            "abcdefgh",
            "12345678",
            "ABCDEFGHIJ",
            "!!!!!!!!",
            "密码密码密码密码",
        ] {
            assert_eq!(
                Password::parse(raw, "password").err().map(|e| e.code),
                Some("WEAK_PASSWORD"),
                "{raw:?}"
            );
        }
        assert_eq!(
            Password::parse(&"a1".repeat(200), "password")
                .err()
                .map(|e| e.code),
            Some("TOO_LONG")
        );
    }
}
