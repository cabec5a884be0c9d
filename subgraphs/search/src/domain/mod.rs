//! The search domain: what gets indexed, what a search asks for and what it
//! returns. No tantivy, Elasticsearch, sqlx or async-graphql in here.

mod cursor;
mod document;
mod error;
mod facets;
mod request;
mod results;

pub use cursor::Cursor;
pub use document::ProductDocument;
pub use error::InputError;
pub use facets::{FacetCount, Facets, PRICE_BUCKET_BOUNDS, PriceBucket};
pub use request::{
    MAX_PAGE_SIZE, MAX_RESULT_WINDOW, MAX_SUGGESTIONS, Page, PriceRange, SearchFilter,
    SearchRequest, SearchText, SortOrder, SuggestPrefix, normalize,
};
pub use results::{SearchHit, SearchResults, Suggestion};
