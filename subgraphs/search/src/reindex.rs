//! A full reindex: every product from the catalog into a fresh index,
//! swapped in when complete (`shopgraph search reindex`, and at first start
//! when the index is empty).

use anyhow::Context;

use crate::{
    catalog_client::{CatalogClient, PAGE_SIZE},
    index::{self, Rebuild, SearchIndex},
    settings::Settings,
};

/// Rebuilds the configured index from the catalog; returns how many
/// products are searchable afterwards.
pub async fn reindex(settings: &Settings) -> anyhow::Result<u64> {
    let index = index::open(settings).await?;
    let catalog = CatalogClient::new(&settings.catalog_url, settings.internal_token.clone())?;
    rebuild_from(index.as_ref(), &catalog).await
}

/// Pages through the catalog into a rebuild of `index` and swaps it in. A
/// failure part way leaves the current index serving, untouched.
pub async fn rebuild_from(index: &dyn SearchIndex, catalog: &CatalogClient) -> anyhow::Result<u64> {
    let mut rebuild = index.rebuild().await?;
    let read = match fill(rebuild.as_mut(), catalog).await {
        Ok(read) => read,
        Err(e) => {
            if let Err(cleanup) = rebuild.abandon().await {
                tracing::warn!(error = ?cleanup, "could not clean up the abandoned rebuild");
            }
            return Err(e);
        }
    };
    let count = rebuild.finish().await?;
    tracing::info!(
        read,
        searchable = count,
        "search index rebuilt from the catalog"
    );
    Ok(count)
}

/// Copies every catalog page into `rebuild`; returns how many products it read.
async fn fill(rebuild: &mut dyn Rebuild, catalog: &CatalogClient) -> anyhow::Result<usize> {
    let mut after: Option<String> = None;
    let mut read = 0usize;
    loop {
        let page = catalog
            .products(after.as_deref(), PAGE_SIZE)
            .await
            .context("reading products from the catalog")?;
        read += page.products.len();
        rebuild.add(&page.products).await?;
        match page.next_after {
            Some(next) if !page.products.is_empty() && Some(&next) != after.as_ref() => {
                after = Some(next)
            }
            _ => return Ok(read),
        }
    }
}
