use async_graphql::{ID, SimpleObject};
use platform::gql::MinorUnits;

use super::entities::Category;
use crate::domain::{FacetCount, Facets};

/// Counts over the whole result set, not just the page shown.
#[derive(Clone, Debug, SimpleObject)]
pub struct ProductSearchFacets {
    /// Per category, counting a product under its category and each
    /// ancestor; most frequent first.
    pub categories: Vec<CategoryFacet>,
    pub brands: Vec<BrandFacet>,
    /// Fixed price ranges by lowest SKU price, in order, empty ones included.
    pub price_buckets: Vec<PriceBucket>,
}

#[derive(Clone, Debug, SimpleObject)]
pub struct CategoryFacet {
    pub category: Category,
    pub count: u64,
}

#[derive(Clone, Debug, SimpleObject)]
pub struct BrandFacet {
    pub brand: String,
    pub count: u64,
}

/// Products whose lowest price is at least `min` and below `max` (minor
/// units); a missing bound is open.
#[derive(Clone, Debug, SimpleObject)]
pub struct PriceBucket {
    pub min: Option<MinorUnits>,
    pub max: Option<MinorUnits>,
    pub count: u64,
}

impl From<Facets> for ProductSearchFacets {
    fn from(facets: Facets) -> Self {
        Self {
            categories: facets
                .categories
                .into_iter()
                .map(|FacetCount { value, count }| CategoryFacet {
                    category: Category { id: ID(value) },
                    count,
                })
                .collect(),
            brands: facets
                .brands
                .into_iter()
                .map(|FacetCount { value, count }| BrandFacet {
                    brand: value,
                    count,
                })
                .collect(),
            price_buckets: facets
                .prices
                .into_iter()
                .map(|b| PriceBucket {
                    min: b.min.map(MinorUnits),
                    max: b.max.map(MinorUnits),
                    count: b.count,
                })
                .collect(),
        }
    }
}
