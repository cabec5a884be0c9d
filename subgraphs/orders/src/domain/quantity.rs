//! How many units of a SKU a cart line or order line holds.

use super::InvalidInput;

/// The most units of one SKU per line.
pub const MAX_QUANTITY: i64 = 99;
/// The most lines an order or cart may have.
pub const MAX_LINES: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity(i64);

impl Quantity {
    pub fn parse(raw: i64, field: &'static str) -> Result<Self, InvalidInput> {
        if raw <= 0 {
            return Err(InvalidInput::new(
                "INVALID_QUANTITY",
                field,
                "the quantity must be at least 1",
            ));
        }
        if raw > MAX_QUANTITY {
            return Err(InvalidInput::new(
                "INVALID_QUANTITY",
                field,
                format!("at most {MAX_QUANTITY} units per line"),
            ));
        }
        Ok(Self(raw))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_between_one_and_the_maximum() {
        assert!(Quantity::parse(0, "q").is_err());
        assert!(Quantity::parse(-3, "q").is_err());
        assert!(Quantity::parse(MAX_QUANTITY + 1, "q").is_err());
        assert_eq!(Quantity::parse(1, "q").map(Quantity::get), Ok(1));
        assert_eq!(
            Quantity::parse(MAX_QUANTITY, "q").map(Quantity::get),
            Ok(MAX_QUANTITY)
        );
    }
}
