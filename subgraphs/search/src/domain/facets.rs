/// Facet counts over a whole result set (not just the page shown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// Per category id, counting a product under its category and each
    /// ancestor, most frequent first.
    pub categories: Vec<FacetCount>,
    pub brands: Vec<FacetCount>,
    /// One bucket per range of [`PRICE_BUCKET_BOUNDS`], in order, empty ones
    /// included, by the product's lowest SKU price.
    pub prices: Vec<PriceBucket>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Products whose lowest price is in `[min, max)`; `None` is unbounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceBucket {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub count: u64,
}

/// The edges of the price buckets, in minor units: under 50, 50–100,
/// 100–200, 200–500, 500–1000, 1000–5000 and 5000 or more (yuan or dollars).
pub const PRICE_BUCKET_BOUNDS: [i64; 6] = [5_000, 10_000, 20_000, 50_000, 100_000, 500_000];

impl PriceBucket {
    /// The buckets' ranges, in order.
    pub fn ranges() -> Vec<(Option<i64>, Option<i64>)> {
        let mut ranges = Vec::with_capacity(PRICE_BUCKET_BOUNDS.len() + 1);
        let mut from = None;
        for bound in PRICE_BUCKET_BOUNDS {
            ranges.push((from, Some(bound)));
            from = Some(bound);
        }
        ranges.push((from, None));
        ranges
    }
}

impl FacetCount {
    /// Orders facet values most frequent first, then by value, so both
    /// backends list ties the same way.
    pub fn sort(counts: &mut [FacetCount]) {
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }
}
