//! The embedded backend: a tantivy index in a directory, Chinese segmented
//! by jieba, English stemmed.
//!
//! The directory holds generations (`gen-<id>/`) and a `CURRENT` file naming
//! the one in use; a rebuild fills a new generation and then replaces
//! `CURRENT` by an atomic rename, so a crash leaves one or the other.

mod fields;
mod generation;
mod query;
mod rebuild;
mod search;
mod sort;
mod tokenizer;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, RwLock},
};

use anyhow::Context;
use async_trait::async_trait;

use self::{generation::Generation, rebuild::TantivyRebuild};
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
    /// The gate every write passes: it holds the rebuild in progress, if
    /// any, so that writes made during a rebuild reach the new generation
    /// too, and a swap never happens in the middle of a write.
    writes: Mutex<Option<Pending>>,
}

/// A rebuild in progress and the versions that writes gave it meanwhile:
/// a page read from the catalog before such a write must not undo it.
struct Pending {
    generation: Arc<Generation>,
    written: HashMap<String, i64>,
}

impl Pending {
    /// Whether `product` is older than what a write already gave the rebuild.
    fn is_stale(&self, product: &ProductDocument) -> bool {
        self.written
            .get(&product.id)
            .is_some_and(|&version| version > product.updated_at)
    }
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
                writes: Mutex::new(None),
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

    /// Writes to the current generation and to a rebuild in progress.
    async fn write(
        &self,
        products: Vec<ProductDocument>,
        deleted: Vec<String>,
    ) -> anyhow::Result<()> {
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let mut gate = shared.gate()?;
            shared.current()?.write(&products, &deleted)?;
            if let Some(pending) = gate.as_mut() {
                for product in &products {
                    let version = pending
                        .written
                        .entry(product.id.clone())
                        .or_insert(i64::MIN);
                    *version = (*version).max(product.updated_at);
                }
                for id in &deleted {
                    pending.written.insert(id.clone(), i64::MAX);
                }
                let fresh: Vec<&ProductDocument> =
                    products.iter().filter(|p| !pending.is_stale(p)).collect();
                pending.generation.stage(&fresh, &deleted)?;
            }
            Ok(())
        })
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

    fn gate(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Option<Pending>>> {
        self.writes
            .lock()
            .map_err(|_| anyhow::anyhow!("the index write gate is poisoned"))
    }
}

#[async_trait]
impl SearchIndex for TantivyIndex {
    async fn upsert(&self, products: &[ProductDocument]) -> anyhow::Result<()> {
        self.write(products.to_vec(), Vec::new()).await
    }

    async fn delete(&self, ids: &[String]) -> anyhow::Result<()> {
        self.write(Vec::new(), ids.to_vec()).await
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
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let generation = Arc::new(Generation::create(&shared.root)?);
            let mut gate = shared.gate()?;
            if gate.is_some() {
                anyhow::bail!("a rebuild is already running");
            }
            *gate = Some(Pending {
                generation: generation.clone(),
                written: HashMap::new(),
            });
            drop(gate);
            Ok(Box::new(TantivyRebuild {
                shared: shared.clone(),
                generation,
            }) as Box<dyn Rebuild>)
        })
        .await
        .context("index task failed")?
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
