//! The product index behind one trait, with two real implementations:
//! tantivy (embedded, the default) and Elasticsearch (production), and the
//! text analysis they share; and the other source the service reads,
//! [`clients`] (the catalog's product export). No rules: the index only
//! stores and finds.

mod aggs;
pub mod analysis;
pub mod clients;
pub mod elastic;
pub mod tantivy;

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::{ProductDocument, SearchRequest, SearchResults, SuggestPrefix, Suggestion};

pub use self::{elastic::ElasticIndex, tantivy::TantivyIndex};

/// A searchable set of products.
///
/// Writes are idempotent and ordered by `updated_at`: writing a product
/// again, or an older version of it, changes nothing, so events may be
/// redelivered or arrive out of order. A product that is not searchable
/// (a draft, archived) is removed instead of written. Writes made while a
/// rebuild runs reach the rebuilt index too, so none is lost by the swap.
#[async_trait]
pub trait SearchIndex: Send + Sync + 'static {
    /// Adds or replaces products; searchable when this returns.
    async fn upsert(&self, products: &[ProductDocument]) -> anyhow::Result<()>;

    /// Removes products by id; unknown ids are ignored.
    async fn delete(&self, ids: &[String]) -> anyhow::Result<()>;

    async fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults>;

    /// Up to `limit` product names that continue `prefix`, best sellers
    /// first, each name once.
    async fn suggest(
        &self,
        prefix: &SuggestPrefix,
        limit: usize,
    ) -> anyhow::Result<Vec<Suggestion>>;

    /// How many products the index holds.
    async fn count(&self) -> anyhow::Result<u64>;

    /// Starts a full rebuild into a fresh index that serves nothing until
    /// [`Rebuild::finish`] swaps it in, at once, for the current one.
    async fn rebuild(&self) -> anyhow::Result<Box<dyn Rebuild>>;
}

/// A fresh index being filled by a full reindex.
#[async_trait]
pub trait Rebuild: Send {
    async fn add(&mut self, products: &[ProductDocument]) -> anyhow::Result<()>;

    /// Makes the rebuilt index the one searched and drops the old one;
    /// returns how many products it holds.
    async fn finish(self: Box<Self>) -> anyhow::Result<u64>;

    /// Gives the rebuild up, removing what it built; the current index
    /// serves on untouched.
    async fn abandon(self: Box<Self>) -> anyhow::Result<()>;
}

pub type SharedIndex = Arc<dyn SearchIndex>;

/// The index the settings name: Elasticsearch when `ELASTICSEARCH_URL` is
/// set, else tantivy in the index directory.
pub async fn open(settings: &crate::settings::Settings) -> anyhow::Result<SharedIndex> {
    Ok(match &settings.elasticsearch_url {
        Some(url) => Arc::new(ElasticIndex::connect(url, &settings.elasticsearch_index).await?),
        None => {
            let dir = settings.index_dir.clone();
            Arc::new(
                tokio::task::spawn_blocking(move || TantivyIndex::open(dir))
                    .await
                    .map_err(|e| anyhow::anyhow!("opening the index: {e}"))??,
            )
        }
    })
}

/// Whether opening the index failed because another process holds it (a
/// running search service holds its tantivy index's writer lock).
pub fn held_by_another_process(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<::tantivy::TantivyError>()
            .is_some_and(|e| matches!(e, ::tantivy::TantivyError::LockFailure(..)))
    })
}
