//! A postal address as the address book keeps it.

use super::{Invalid, bounded_text};

/// An address as typed in, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressInputRaw {
    pub recipient: String,
    pub phone: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
}

/// A validated address: required parts present, every part bounded, the
/// country an ISO 3166-1 alpha-2 code in upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressFields {
    pub recipient: String,
    pub phone: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
}

impl TryFrom<AddressInputRaw> for AddressFields {
    type Error = Invalid;

    fn try_from(raw: AddressInputRaw) -> Result<Self, Invalid> {
        let phone = optional(raw.phone.as_deref(), "phone", 32)?;
        if let Some(phone) = &phone
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
        {
            return Err(Invalid::new(
                "INVALID_VALUE",
                "phone",
                "a phone number holds digits, spaces and + - ( ) only",
            ));
        }
        let country = required(&raw.country, "country", 2)?.to_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(Invalid::new(
                "INVALID_VALUE",
                "country",
                "the country is a two-letter ISO 3166-1 code such as CN or US",
            ));
        }
        Ok(Self {
            recipient: required(&raw.recipient, "recipient", 100)?,
            phone,
            line1: required(&raw.line1, "line1", 200)?,
            line2: optional(raw.line2.as_deref(), "line2", 200)?,
            city: required(&raw.city, "city", 100)?,
            region: optional(raw.region.as_deref(), "region", 100)?,
            postal_code: optional(raw.postal_code.as_deref(), "postalCode", 20)?,
            country,
        })
    }
}

/// A valid address as input again, for a change to some of its parts.
impl From<AddressFields> for AddressInputRaw {
    fn from(fields: AddressFields) -> Self {
        Self {
            recipient: fields.recipient,
            phone: fields.phone,
            line1: fields.line1,
            line2: fields.line2,
            city: fields.city,
            region: fields.region,
            postal_code: fields.postal_code,
            country: fields.country,
        }
    }
}

fn required(raw: &str, field: &'static str, max: usize) -> Result<String, Invalid> {
    let text = bounded_text(raw, field, max)?;
    if text.is_empty() {
        return Err(Invalid::new(
            "REQUIRED",
            field,
            format!("{field} is required"),
        ));
    }
    Ok(text)
}

/// An optional part: blank counts as absent.
fn optional(raw: Option<&str>, field: &'static str, max: usize) -> Result<Option<String>, Invalid> {
    match raw {
        None => Ok(None),
        Some(raw) => bounded_text(raw, field, max).map(|t| Some(t).filter(|t| !t.is_empty())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> AddressInputRaw {
        AddressInputRaw {
            recipient: "Li Lei".into(),
            phone: Some("+86 138-0000-0000".into()),
            line1: "1 Chang'an Ave".into(),
            line2: Some("  ".into()),
            city: "北京".into(),
            region: None,
            postal_code: Some("100000".into()),
            country: "cn".into(),
        }
    }

    #[test]
    fn a_complete_address_parses_normalised() {
        let fields = AddressFields::try_from(raw()).unwrap();
        assert_eq!(fields.country, "CN");
        assert_eq!(fields.line2, None);
        assert_eq!(fields.city, "北京");
    }

    #[test]
    fn missing_long_or_malformed_parts_name_their_field() {
        let cases: Vec<(AddressInputRaw, &str, &str)> = vec![
            (
                AddressInputRaw {
                    recipient: " ".into(),
                    ..raw()
                },
                "REQUIRED",
                "recipient",
            ),
            (
                AddressInputRaw {
                    line1: "x".repeat(201),
                    ..raw()
                },
                "TOO_LONG",
                "line1",
            ),
            (
                AddressInputRaw {
                    country: "China".into(),
                    ..raw()
                },
                "TOO_LONG",
                "country",
            ),
            (
                AddressInputRaw {
                    country: "C1".into(),
                    ..raw()
                },
                "INVALID_VALUE",
                "country",
            ),
            (
                AddressInputRaw {
                    phone: Some("call me".into()),
                    ..raw()
                },
                "INVALID_VALUE",
                "phone",
            ),
        ];
        for (input, code, field) in cases {
            let error = AddressFields::try_from(input).unwrap_err();
            assert_eq!((error.code, error.field), (code, field));
        }
    }
}
