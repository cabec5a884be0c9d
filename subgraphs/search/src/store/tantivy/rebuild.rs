//! A full reindex on tantivy: a new generation filled beside the current
//! one, committed, then made current by an atomic rename of `CURRENT`.

use std::sync::Arc;

use anyhow::Context;
use async_trait::async_trait;

use super::{Shared, generation::Generation, point_at};
use crate::{domain::ProductDocument, store::Rebuild};

pub(super) struct TantivyRebuild {
    pub(super) shared: Arc<Shared>,
    pub(super) generation: Arc<Generation>,
}

#[async_trait]
impl Rebuild for TantivyRebuild {
    async fn add(&mut self, products: &[ProductDocument]) -> anyhow::Result<()> {
        let products = products.to_vec();
        let shared = self.shared.clone();
        let generation = self.generation.clone();
        tokio::task::spawn_blocking(move || {
            let gate = shared.gate()?;
            let fresh: Vec<&ProductDocument> = match gate.as_ref() {
                Some(pending) => products.iter().filter(|p| !pending.is_stale(p)).collect(),
                None => products.iter().collect(),
            };
            generation.stage(&fresh, &[])
        })
        .await
        .context("index task failed")?
    }

    async fn finish(self: Box<Self>) -> anyhow::Result<u64> {
        let shared = self.shared.clone();
        let generation = self.generation.clone();
        let old = tokio::task::spawn_blocking(move || {
            // No write gets between the last staged one and the swap.
            let mut gate = shared.gate()?;
            generation.commit()?;
            point_at(&shared.root, &generation.name)?;
            let old = {
                let mut current = shared
                    .current
                    .write()
                    .map_err(|_| anyhow::anyhow!("the index lock is poisoned"))?;
                std::mem::replace(&mut *current, generation.clone())
            };
            *gate = None;
            anyhow::Ok(old)
        })
        .await
        .context("index task failed")??;
        // Searches still running on the old generation keep its files open;
        // on Unix removing them is safe.
        if let Err(e) = std::fs::remove_dir_all(&old.dir) {
            tracing::warn!(error = %e, dir = %old.dir.display(), "could not remove the old index");
        }
        Ok(self.generation.reader.searcher().num_docs())
    }

    async fn abandon(self: Box<Self>) -> anyhow::Result<()> {
        self.release();
        let dir = self.generation.dir.clone();
        drop(self);
        // The writer may still hold files open; what stays goes at the next start.
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            tracing::warn!(error = %e, "could not remove an abandoned index generation");
        }
        Ok(())
    }
}

impl TantivyRebuild {
    fn release(&self) {
        if let Ok(mut gate) = self.shared.gate()
            && gate
                .as_ref()
                .is_some_and(|p| Arc::ptr_eq(&p.generation, &self.generation))
        {
            *gate = None;
        }
    }
}

impl Drop for TantivyRebuild {
    /// An abandoned rebuild stops collecting writes; its directory goes at
    /// the next start.
    fn drop(&mut self) {
        self.release();
    }
}
