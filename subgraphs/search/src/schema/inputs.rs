use async_graphql::{Enum, ID, InputObject};
use platform::gql::MinorUnits;

use crate::domain::{InputError, PriceRange, SearchFilter, SortOrder};

/// What the products found must be. Prices are in minor units (fen, cents).
#[derive(Clone, Debug, Default, InputObject)]
pub struct ProductSearchFilter {
    /// The category or any of its descendants. An unknown id finds nothing.
    pub category_id: Option<ID>,
    /// Exactly this brand.
    pub brand: Option<String>,
    /// Inclusive bounds on the product's lowest SKU price, as in the
    /// catalog's `ProductFilter`.
    pub min_price: Option<MinorUnits>,
    pub max_price: Option<MinorUnits>,
    pub in_stock: Option<bool>,
}

impl TryFrom<ProductSearchFilter> for SearchFilter {
    type Error = InputError;

    fn try_from(input: ProductSearchFilter) -> Result<Self, InputError> {
        Ok(Self {
            category_id: bounded("filter.categoryId", input.category_id.map(|id| id.0))?,
            brand: bounded("filter.brand", input.brand)?,
            price: PriceRange::parse(input.min_price.map(|m| m.0), input.max_price.map(|m| m.0))?,
            in_stock: input.in_stock,
        })
    }
}

/// Ids and brand names are short; anything longer cannot match.
const MAX_VALUE_CHARS: usize = 200;

fn bounded(field: &'static str, value: Option<String>) -> Result<Option<String>, InputError> {
    match value {
        Some(v) if v.chars().count() > MAX_VALUE_CHARS => Err(InputError::new(
            field,
            format!("must be at most {MAX_VALUE_CHARS} characters"),
        )),
        other => Ok(other),
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Enum)]
pub enum ProductSearchSort {
    /// Best match first, best sellers first among equal matches (so
    /// browsing without a query lists best sellers first).
    #[default]
    Relevance,
    /// Cheapest first, by the lowest SKU price.
    PriceAsc,
    PriceDesc,
    Newest,
    /// Best sellers first.
    Sales,
}

impl From<ProductSearchSort> for SortOrder {
    fn from(sort: ProductSearchSort) -> Self {
        match sort {
            ProductSearchSort::Relevance => Self::Relevance,
            ProductSearchSort::PriceAsc => Self::PriceAsc,
            ProductSearchSort::PriceDesc => Self::PriceDesc,
            ProductSearchSort::Newest => Self::Newest,
            ProductSearchSort::Sales => Self::Sales,
        }
    }
}
