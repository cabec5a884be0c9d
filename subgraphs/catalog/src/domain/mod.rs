//! Input parsed into domain values once, at the edge: each type can only
//! hold a valid value ("parse, don't validate").

mod money;
mod rating;
mod text;

pub use money::{CURRENCY, Price};
pub use rating::Rating;
pub use text::{Brand, CategoryName, Description, ImageUrl, ProductName, ReviewBody, SkuName, Tag};

/// Why an input value was refused; becomes a payload `UserError`.
pub use platform::input::InvalidInput;

/// The largest number of tags and images a product may carry.
pub const MAX_TAGS: usize = 20;
pub const MAX_IMAGES: usize = 10;

/// Parses a list of values, refusing more than `max` of them.
pub fn parse_list<T>(
    raw: Vec<String>,
    max: usize,
    field: &'static str,
    parse: impl Fn(String) -> Result<T, InvalidInput>,
) -> Result<Vec<T>, InvalidInput> {
    if raw.len() > max {
        return Err(InvalidInput::new(
            "TOO_MANY",
            field,
            format!("at most {max} entries"),
        ));
    }
    raw.into_iter().map(parse).collect()
}
