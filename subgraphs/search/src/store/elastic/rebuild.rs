//! A full reindex on Elasticsearch: a new index filled beside the one the
//! alias points at, then the alias moved onto it in one `_aliases` call.

use anyhow::Context;
use async_trait::async_trait;
use elasticsearch::indices::IndicesRefreshParts;
use serde_json::{Value, json};

use super::{ElasticIndex, checked, write_operations};
use crate::{
    domain::ProductDocument,
    store::{Rebuild, SearchIndex},
};

pub(super) struct ElasticRebuild {
    pub(super) target: ElasticIndex,
    pub(super) index: String,
}

#[async_trait]
impl Rebuild for ElasticRebuild {
    async fn add(&mut self, products: &[ProductDocument]) -> anyhow::Result<()> {
        self.target
            .bulk(&self.index, write_operations(products), false)
            .await
    }

    async fn finish(self: Box<Self>) -> anyhow::Result<u64> {
        // No write gets between the last one into the new index and the swap.
        let mut pending = self.target.pending.lock().await;
        let swapped = self.swap().await;
        *pending = None;
        drop(pending);
        match swapped {
            Ok(old) => {
                self.target.delete_indices(&old).await?;
                self.target.count().await
            }
            Err(e) => {
                if let Err(cleanup) = self
                    .target
                    .delete_indices(std::slice::from_ref(&self.index))
                    .await
                {
                    tracing::warn!(error = ?cleanup, "could not remove the rebuilt index");
                }
                Err(e)
            }
        }
    }

    async fn abandon(self: Box<Self>) -> anyhow::Result<()> {
        *self.target.pending.lock().await = None;
        self.target
            .delete_indices(std::slice::from_ref(&self.index))
            .await
    }
}

impl ElasticRebuild {
    /// Refreshes the rebuilt index and moves the alias onto it in one
    /// `_aliases` call; returns the indices it left.
    async fn swap(&self) -> anyhow::Result<Vec<String>> {
        let response = self
            .target
            .client
            .indices()
            .refresh(IndicesRefreshParts::Index(&[&self.index]))
            .send()
            .await
            .context("refreshing the rebuilt index")?;
        checked(response).await?;
        let old = self.target.indices_behind_alias().await?;
        let alias = &self.target.alias;
        let mut actions: Vec<Value> = old
            .iter()
            .map(|index| json!({ "remove": { "index": index, "alias": alias } }))
            .collect();
        actions.push(json!({ "add": { "index": self.index, "alias": alias } }));
        self.target.update_aliases(Value::Array(actions)).await?;
        Ok(old)
    }
}

impl Drop for ElasticRebuild {
    /// A rebuild dropped without `finish` or `abandon` (its task failed)
    /// stops collecting writes.
    fn drop(&mut self) {
        if let Ok(mut pending) = self.target.pending.try_lock()
            && pending.as_deref() == Some(self.index.as_str())
        {
            *pending = None;
        }
    }
}
