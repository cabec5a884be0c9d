//! Searching and suggesting: what the graph's queries ask of the index.

use crate::{
    domain::{SearchRequest, SearchResults, SuggestPrefix, Suggestion},
    store::SharedIndex,
};

/// The product search the schema serves; cheap to clone.
#[derive(Clone)]
pub struct ProductSearch {
    index: SharedIndex,
}

impl ProductSearch {
    pub fn new(index: SharedIndex) -> Self {
        Self { index }
    }

    /// One page of the products `request` finds, with its facets.
    pub async fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        self.index.search(request).await
    }

    /// Up to `limit` names that continue `prefix`, best sellers first;
    /// none when `limit` is 0.
    pub async fn suggest(
        &self,
        prefix: &SuggestPrefix,
        limit: usize,
    ) -> anyhow::Result<Vec<Suggestion>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.index.suggest(prefix, limit).await
    }
}
