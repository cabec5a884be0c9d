//! Prices in minor units (fen) of the catalog's one currency.

use super::InvalidInput;

/// Every catalog price is in Chinese yuan.
pub const CURRENCY: &str = "CNY";

/// The highest price accepted: 100 million yuan, far above any product and
/// far below where sums of prices could overflow.
const MAX_PRICE: i64 = 10_000_000_000;

/// A price in fen, never negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Price(i64);

impl Price {
    pub fn parse(amount: i64, field: &'static str) -> Result<Self, InvalidInput> {
        if amount < 0 {
            return Err(InvalidInput::new(
                "INVALID_PRICE",
                field,
                "a price cannot be negative",
            ));
        }
        if amount > MAX_PRICE {
            return Err(InvalidInput::new(
                "INVALID_PRICE",
                field,
                format!("a price cannot exceed {MAX_PRICE} fen"),
            ));
        }
        Ok(Self(amount))
    }

    /// Checks a currency given with the price: only CNY is sold.
    pub fn parse_currency(currency: Option<&str>, field: &'static str) -> Result<(), InvalidInput> {
        match currency {
            None => Ok(()),
            Some(c) if c == CURRENCY => Ok(()),
            Some(_) => Err(InvalidInput::new(
                "INVALID_CURRENCY",
                field,
                format!("the catalog sells in {CURRENCY} only"),
            )),
        }
    }

    pub fn fen(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_and_huge_prices_are_refused() {
        assert!(Price::parse(-1, "price").is_err());
        assert!(Price::parse(MAX_PRICE + 1, "price").is_err());
        assert_eq!(Price::parse(0, "price").map(Price::fen), Ok(0));
        assert_eq!(Price::parse(1999, "price").map(Price::fen), Ok(1999));
    }

    #[test]
    fn only_cny_is_accepted() {
        assert!(Price::parse_currency(Some("USD"), "currency").is_err());
        assert!(Price::parse_currency(Some("CNY"), "currency").is_ok());
        assert!(Price::parse_currency(None, "currency").is_ok());
    }
}
