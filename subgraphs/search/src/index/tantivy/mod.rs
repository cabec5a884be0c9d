//! The embedded backend: a tantivy index in a directory, Chinese segmented
//! by jieba, English stemmed.
//!
//! The directory holds generations (`gen-<id>/`) and a `CURRENT` file naming
//! the one in use; a rebuild fills a new generation and then replaces
//! `CURRENT` by an atomic rename, so a crash leaves one or the other.

mod fields;
mod generation;
mod query;
mod search;
mod sort;
mod tokenizer;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use anyhow::Context;
use async_trait::async_trait;

use self::generation::Generation;
use super::{Rebuild, SearchIndex};
use crate::domain::{ProductDocument, SearchRequest, SearchResults, SuggestPrefix, Suggestion};

const CURRENT: &str = "CURRENT";

#[derive(Clone)]
pub struct TantivyIndex {
    shared: Arc<Shared>,
}

struct Shared {
    root: PathBuf,
    current: RwLock<Arc<Generation>>,
}

impl TantivyIndex {
    /// Opens the index under `root`, creating an empty one when there is
    /// none (or only one of an older schema).
    pub fn open(root: impl Into<PathBuf>) -> anyhow::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
        let current = match std::fs::read_to_string(root.join(CURRENT)) {
            Ok(name) => Generation::open(&root, name.trim())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).context("reading the current index generation"),
        };
        let current = match current {
            Some(generation) => generation,
            None => {
                let generation = Generation::create(&root)?;
                point_at(&root, &generation.name)?;
                generation
            }
        };
        remove_other_generations(&root, &current.name);
        Ok(Self {
            shared: Arc::new(Shared {
                root,
                current: RwLock::new(Arc::new(current)),
            }),
        })
    }

    fn current(&self) -> anyhow::Result<Arc<Generation>> {
        self.shared.current()
    }

    /// Runs blocking index work off the async threads.
    async fn blocking<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Generation>) -> anyhow::Result<T> + Send + 'static,
    {
        let generation = self.current()?;
        tokio::task::spawn_blocking(move || work(generation))
            .await
            .context("index task failed")?
    }
}

impl Shared {
    fn current(&self) -> anyhow::Result<Arc<Generation>> {
        self.current
            .read()
            .map(|g| g.clone())
            .map_err(|_| anyhow::anyhow!("the index lock is poisoned"))
    }
}

#[async_trait]
impl SearchIndex for TantivyIndex {
    async fn upsert(&self, products: &[ProductDocument]) -> anyhow::Result<()> {
        let products = products.to_vec();
        self.blocking(move |g| g.write(&products, &[])).await
    }

    async fn delete(&self, ids: &[String]) -> anyhow::Result<()> {
        let ids = ids.to_vec();
        self.blocking(move |g| g.write(&[], &ids)).await
    }

    async fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let request = request.clone();
        self.blocking(move |g| search::search(&g.reader.searcher(), &g.fields, &request))
            .await
    }

    async fn suggest(
        &self,
        prefix: &SuggestPrefix,
        limit: usize,
    ) -> anyhow::Result<Vec<Suggestion>> {
        let prefix = prefix.clone();
        self.blocking(move |g| search::suggest(&g.reader.searcher(), &g.fields, &prefix, limit))
            .await
    }

    async fn count(&self) -> anyhow::Result<u64> {
        Ok(self.current()?.reader.searcher().num_docs())
    }

    async fn rebuild(&self) -> anyhow::Result<Box<dyn Rebuild>> {
        let root = self.shared.root.clone();
        let generation = tokio::task::spawn_blocking(move || Generation::create(&root))
            .await
            .context("index task failed")??;
        Ok(Box::new(TantivyRebuild {
            shared: self.shared.clone(),
            generation: Arc::new(generation),
        }))
    }
}

struct TantivyRebuild {
    shared: Arc<Shared>,
    generation: Arc<Generation>,
}

#[async_trait]
impl Rebuild for TantivyRebuild {
    async fn add(&mut self, products: &[ProductDocument]) -> anyhow::Result<()> {
        let products = products.to_vec();
        let generation = self.generation.clone();
        tokio::task::spawn_blocking(move || generation.add(&products))
            .await
            .context("index task failed")?
    }

    async fn finish(self: Box<Self>) -> anyhow::Result<u64> {
        let generation = self.generation.clone();
        tokio::task::spawn_blocking(move || generation.commit())
            .await
            .context("index task failed")??;
        point_at(&self.shared.root, &self.generation.name)?;
        let old = {
            let mut current = self
                .shared
                .current
                .write()
                .map_err(|_| anyhow::anyhow!("the index lock is poisoned"))?;
            std::mem::replace(&mut *current, self.generation.clone())
        };
        // Searches still running on the old generation keep its files open;
        // on Unix removing them is safe.
        if let Err(e) = std::fs::remove_dir_all(&old.dir) {
            tracing::warn!(error = %e, dir = %old.dir.display(), "could not remove the old index");
        }
        Ok(self.generation.reader.searcher().num_docs())
    }
}

/// Makes `name` the current generation, atomically.
fn point_at(root: &Path, name: &str) -> anyhow::Result<()> {
    let tmp = root.join(format!("{CURRENT}.tmp"));
    std::fs::write(&tmp, name).context("writing the index pointer")?;
    std::fs::rename(&tmp, root.join(CURRENT)).context("swapping the index pointer")?;
    Ok(())
}

/// Clears generations left by an interrupted rebuild.
fn remove_other_generations(root: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("gen-")
            && name != keep
            && let Err(e) = std::fs::remove_dir_all(entry.path())
        {
            tracing::warn!(error = %e, "could not remove a stale index generation");
        }
    }
}
