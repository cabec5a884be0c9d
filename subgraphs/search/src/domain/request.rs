use super::{Cursor, InputError};

/// The most hits one page may ask for.
pub const MAX_PAGE_SIZE: usize = 100;
/// How deep paging may go (Elasticsearch's default `max_result_window`).
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// The most suggestions one request may ask for.
pub const MAX_SUGGESTIONS: usize = 20;
/// The longest query text searched for. Longer input is refused rather
/// than cut, so that a client learns why its query found nothing.
const MAX_QUERY_CHARS: usize = 200;
const MAX_PREFIX_CHARS: usize = 100;

/// A search: optional text, filters, an order and a page.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRequest {
    /// `None` browses: every product that passes the filters.
    pub text: Option<SearchText>,
    pub filter: SearchFilter,
    pub sort: SortOrder,
    pub page: Page,
}

/// Query text as typed, trimmed and non-empty. It is only ever analysed
/// into terms, never parsed as query syntax, so `+`, `"`, `AND`, `*` and the
/// like are plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// `Ok(None)` for missing or blank text (browse by filters).
    pub fn parse(raw: Option<&str>) -> Result<Option<Self>, InputError> {
        let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(InputError::new(
                "query",
                format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        Ok(Some(Self(text.to_owned())))
    }
}

impl AsRef<str> for SearchText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What a product must be to be found; `None` fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// The category or any of its ancestors.
    pub category_id: Option<String>,
    /// Exact brand.
    pub brand: Option<String>,
    pub price: PriceRange,
    pub in_stock: Option<bool>,
}

/// Inclusive bounds in minor units on a product's lowest SKU price (the
/// "from" price a listing shows), as the catalog's own product filter has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriceRange {
    min: Option<i64>,
    max: Option<i64>,
}

impl PriceRange {
    pub fn parse(min: Option<i64>, max: Option<i64>) -> Result<Self, InputError> {
        if min.is_some_and(|m| m < 0) {
            return Err(InputError::new("filter.minPrice", "must not be negative"));
        }
        if max.is_some_and(|m| m < 0) {
            return Err(InputError::new("filter.maxPrice", "must not be negative"));
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return Err(InputError::new(
                "filter.minPrice",
                "must not be above filter.maxPrice",
            ));
        }
        Ok(Self { min, max })
    }

    pub fn min(self) -> Option<i64> {
        self.min
    }

    pub fn max(self) -> Option<i64> {
        self.max
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first, best sellers first among equal matches (and when
    /// browsing without text, where every product matches equally).
    #[default]
    Relevance,
    /// By lowest SKU price.
    PriceAsc,
    PriceDesc,
    Newest,
    /// Most sold first.
    Sales,
}

/// Which hits to return: `limit` of them after skipping `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    offset: usize,
    limit: usize,
}

impl Page {
    pub fn parse(first: i32, after: Option<&str>) -> Result<Self, InputError> {
        let limit = usize::try_from(first)
            .ok()
            .filter(|n| *n <= MAX_PAGE_SIZE)
            .ok_or_else(|| {
                InputError::new("first", format!("must be between 0 and {MAX_PAGE_SIZE}"))
            })?;
        let offset = match after {
            None => 0,
            Some(raw) => Cursor::parse(raw)?.position().saturating_add(1),
        };
        if offset.saturating_add(limit) > MAX_RESULT_WINDOW {
            return Err(InputError::new(
                "after",
                format!(
                    "cannot page past the first {MAX_RESULT_WINDOW} results; narrow the search"
                ),
            ));
        }
        Ok(Self { offset, limit })
    }

    pub fn offset(self) -> usize {
        self.offset
    }

    pub fn limit(self) -> usize {
        self.limit
    }
}

/// A search-box prefix, normalised like the names it completes
/// (lowercase, single spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestPrefix(String);

impl SuggestPrefix {
    /// `Ok(None)` for a blank prefix, which completes to nothing.
    pub fn parse(raw: &str) -> Result<Option<Self>, InputError> {
        if raw.chars().count() > MAX_PREFIX_CHARS {
            return Err(InputError::new(
                "prefix",
                format!("must be at most {MAX_PREFIX_CHARS} characters"),
            ));
        }
        let normalized = normalize(raw);
        Ok((!normalized.is_empty()).then_some(Self(normalized)))
    }
}

impl AsRef<str> for SuggestPrefix {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Lowercase with runs of whitespace made one space, trimmed: how names
/// and prefixes are compared for suggestions.
pub fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_browses() {
        assert_eq!(SearchText::parse(Some("  \t")), Ok(None));
        assert_eq!(SearchText::parse(None), Ok(None));
    }

    #[test]
    fn overlong_text_is_refused() {
        let long = "a".repeat(10_000);
        assert!(SearchText::parse(Some(&long)).is_err());
    }

    #[test]
    fn price_ranges_must_be_non_negative_and_ordered() {
        assert!(PriceRange::parse(Some(-1), None).is_err());
        assert!(PriceRange::parse(None, Some(-5)).is_err());
        assert!(PriceRange::parse(Some(10), Some(5)).is_err());
        assert!(PriceRange::parse(Some(5), Some(5)).is_ok());
    }

    #[test]
    fn pages_are_bounded() {
        assert!(Page::parse(101, None).is_err());
        assert!(Page::parse(-1, None).is_err());
        assert_eq!(Page::parse(100, None).map(|p| p.limit()), Ok(100));
        let after = Cursor::new(9).encode();
        assert_eq!(Page::parse(10, Some(&after)).map(|p| p.offset()), Ok(10));
        let deep = Cursor::new(MAX_RESULT_WINDOW).encode();
        assert!(Page::parse(1, Some(&deep)).is_err());
    }

    #[test]
    fn prefixes_are_normalised() {
        let prefix = SuggestPrefix::parse("  Nike   AIR ").ok().flatten();
        assert_eq!(prefix.as_ref().map(AsRef::as_ref), Some("nike air"));
        assert_eq!(SuggestPrefix::parse("   "), Ok(None));
    }
}
