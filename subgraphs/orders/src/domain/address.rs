//! The shipping address snapshot an order keeps: given in full at checkout,
//! or copied from the buyer's address book in the users service. Either way
//! the order stores it, so later edits of the address book do not change a
//! placed order.

use serde::{Deserialize, Serialize};

use super::InvalidInput;

/// Serialized only into the orders service's own flash-sale queue, from
/// a value [`ShippingAddress::parse`] checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingAddress {
    pub recipient: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

fn required(raw: &str, field: &'static str, max: usize) -> Result<String, InvalidInput> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(InvalidInput::new(
            "INVALID_ADDRESS",
            field,
            format!("{field} is required"),
        ));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(InvalidInput::new(
            "INVALID_ADDRESS",
            field,
            format!("{field} must be at most {max} printable characters"),
        ));
    }
    Ok(value.to_owned())
}

impl ShippingAddress {
    pub fn parse(
        recipient: &str,
        phone: &str,
        line1: &str,
        line2: Option<&str>,
        city: &str,
        postal_code: &str,
        country: &str,
    ) -> Result<Self, InvalidInput> {
        let phone = required(phone, "phone", 32)?;
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
        {
            return Err(InvalidInput::new(
                "INVALID_ADDRESS",
                "phone",
                "the phone number may hold digits, spaces and + - ( ) only",
            ));
        }
        let country = required(country, "country", 2)?.to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(InvalidInput::new(
                "INVALID_ADDRESS",
                "country",
                "the country is a two-letter ISO 3166 code",
            ));
        }
        Ok(Self {
            recipient: required(recipient, "recipient", 100)?,
            phone,
            line1: required(line1, "line1", 200)?,
            line2: match line2.map(str::trim).filter(|l| !l.is_empty()) {
                Some(line) => Some(required(line, "line2", 200)?),
                None => None,
            },
            city: required(city, "city", 100)?,
            postal_code: required(postal_code, "postalCode", 20)?,
            country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_every_required_field_and_a_country_code() {
        let ok = ShippingAddress::parse(
            "张三",
            "+86 138-0000-0000",
            "1 Road",
            None,
            "上海",
            "200000",
            "cn",
        );
        assert_eq!(ok.map(|a| a.country), Ok("CN".to_owned()));
        let empty = ShippingAddress::parse(" ", "1", "x", None, "c", "p", "CN");
        assert_eq!(empty.map_err(|e| e.field), Err("recipient"));
        let bad_phone = ShippingAddress::parse("a", "call me", "x", None, "c", "p", "CN");
        assert_eq!(bad_phone.map_err(|e| e.field), Err("phone"));
        let bad_country = ShippingAddress::parse("a", "1", "x", None, "c", "p", "CHN");
        assert_eq!(bad_country.map_err(|e| e.field), Err("country"));
    }
}
