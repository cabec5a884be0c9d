//! A review's star rating.

use super::InvalidInput;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rating(i64);

impl Rating {
    pub fn parse(stars: i64) -> Result<Self, InvalidInput> {
        if (1..=5).contains(&stars) {
            Ok(Self(stars))
        } else {
            Err(InvalidInput::new(
                "INVALID_RATING",
                "rating",
                "a rating is 1 to 5 stars",
            ))
        }
    }

    pub fn stars(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_outside_one_to_five_are_refused() {
        for bad in [-1, 0, 6, 100] {
            assert!(Rating::parse(bad).is_err(), "{bad}");
        }
        for good in 1..=5 {
            assert_eq!(Rating::parse(good).map(Rating::stars), Ok(good));
        }
    }
}
