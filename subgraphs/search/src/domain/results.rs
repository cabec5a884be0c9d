use super::Facets;

/// One page of a search, with the size and facets of the whole result set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: u64,
    pub facets: Facets,
}

/// A product found, with why: its score and the matched words of its name
/// and description wrapped in `<em>` (HTML-escaped text otherwise).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub id: String,
    pub score: f32,
    pub name_highlight: Option<String>,
    pub description_highlight: Option<String>,
}

/// A completion for the search box: a product name that continues the
/// typed prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub product_id: String,
    pub text: String,
}
