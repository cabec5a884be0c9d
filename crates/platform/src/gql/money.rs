//! Money on the graph: `Money { amount: MinorUnits!, currency: String! }`.
//!
//! Amounts are 64-bit whole minor units (fen, cents) end to end. GraphQL's
//! `Int` is 32 bits (21,474,836.47 yuan at most, less than one large
//! order), and a JSON number above 2^53 loses digits in a JavaScript
//! client, so the scalar travels as a decimal string, the way protobuf's
//! JSON mapping carries int64.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value};
use serde::{Deserialize, Serialize};

/// The largest integer a JSON number carries exactly in a JavaScript
/// client (`Number.MAX_SAFE_INTEGER`). A bigger number in the input has
/// likely been rounded on its way here, so it is refused, not guessed at.
const MAX_SAFE_NUMBER: i64 = (1 << 53) - 1;

/// A whole number of minor units, signed 64-bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinorUnits(pub i64);

// No `specified_by_url`: async-graphql 7.2.1 leaves `@specifiedBy` out of
// the `_service { sdl }` it serves, which would then differ from the
// exported SDL; the description names the format instead.
/// A signed 64-bit whole number of minor units (fen, cents) of a currency,
/// written as a decimal string such as "2147483648"; input also accepts a
/// JSON integer up to 2^53 - 1. The encoding of int64 in protobuf's JSON
/// mapping (https://protobuf.dev/programming-guides/json/).
#[Scalar(name = "MinorUnits")]
impl ScalarType for MinorUnits {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => text.parse().map_err(|_| {
                InputValueError::custom(format!(
                    "MinorUnits is a whole number of minor units as a decimal string, not {text:?}"
                ))
            }),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i.abs() <= MAX_SAFE_NUMBER => Ok(Self(i)),
                _ => Err(InputValueError::custom(
                    "MinorUnits above 2^53 or with a fraction must be sent as a decimal string",
                )),
            },
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// Text that is not a MinorUnits amount.
#[derive(Debug, thiserror::Error)]
#[error("not a whole number of minor units in the signed 64-bit range")]
pub struct InvalidMinorUnits;

impl std::str::FromStr for MinorUnits {
    type Err = InvalidMinorUnits;

    /// Digits with an optional leading minus; no `+`, spaces or fraction
    /// (which i64's parser would partly accept), so one amount has one
    /// spelling.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.starts_with('+') {
            return Err(InvalidMinorUnits);
        }
        text.parse().map(Self).map_err(|_| InvalidMinorUnits)
    }
}

/// The wire form, for services that read each other's GraphQL answers.
impl Serialize for MinorUnits {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MinorUnits {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An amount of money in minor units (cents, fen) of `currency`.
#[derive(Clone, Debug, SimpleObject, PartialEq, Eq, Serialize, Deserialize)]
#[graphql(shareable)]
pub struct Money {
    pub amount: MinorUnits,
    pub currency: String,
}

impl Money {
    pub fn new(minor_units: i64, currency: &str) -> Self {
        Self {
            amount: MinorUnits(minor_units),
            currency: currency.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: serde_json::Value) -> Result<i64, String> {
        let value = Value::from_json(value).unwrap();
        <MinorUnits as ScalarType>::parse(value)
            .map(|m| m.0)
            .map_err(|e| e.into_server_error(Default::default()).message)
    }

    #[test]
    fn amounts_past_32_and_53_bits_travel_as_exact_strings() {
        for amount in [
            0,
            -1,
            2_147_483_648,
            9_007_199_254_740_993,
            i64::MAX,
            i64::MIN,
        ] {
            let value = MinorUnits(amount).to_value();
            assert_eq!(value, Value::String(amount.to_string()));
            assert_eq!(<MinorUnits as ScalarType>::parse(value).unwrap().0, amount);
        }
    }

    #[test]
    fn input_takes_safe_integers_and_refuses_rounded_or_odd_spellings() {
        assert_eq!(parse(serde_json::json!(1999)), Ok(1999));
        assert_eq!(parse(serde_json::json!("1999")), Ok(1999));
        assert!(parse(serde_json::json!(9_007_199_254_740_993_i64)).is_err());
        assert!(parse(serde_json::json!(19.99)).is_err());
        for odd in ["+1", " 1", "1.00", "", "9223372036854775808", "1e3"] {
            assert!(parse(serde_json::json!(odd)).is_err(), "{odd:?}");
        }
        assert!(parse(serde_json::json!(true)).is_err());
    }

    #[test]
    fn serde_reads_what_the_graph_writes() {
        let money: MinorUnits = serde_json::from_str("\"-2147483649\"").unwrap();
        assert_eq!(money, MinorUnits(-2_147_483_649));
        assert_eq!(serde_json::to_string(&money).unwrap(), "\"-2147483649\"");
        assert!(serde_json::from_str::<MinorUnits>("12").is_err());
    }
}
