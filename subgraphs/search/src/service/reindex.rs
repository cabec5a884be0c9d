//! A full reindex: every product from the catalog into a fresh index,
//! swapped in when complete (`shopgraph search reindex`, and at first start
//! when the index is empty).

use std::time::Duration;

use anyhow::Context;

use crate::{
    settings::Settings,
    store::{
        self, Rebuild, SearchIndex, SharedIndex,
        clients::{self, CatalogClient, PAGE_SIZE},
    },
};

/// How often, and how many times, an empty index retries filling itself
/// from a catalog that is not up yet (the all-in-one process starts both).
const FILL_RETRY_INTERVAL: Duration = Duration::from_secs(2);
const FILL_ATTEMPTS: u32 = 30;
/// How long the first fill waits to see whether the catalog is serving.
const CATALOG_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Rebuilds the configured index from the catalog; returns how many
/// products are searchable afterwards. When a running search service holds
/// the (tantivy) index, the service at `LISTEN_ADDR` is asked to do it.
pub async fn reindex(settings: &Settings) -> anyhow::Result<u64> {
    let catalog = CatalogClient::new(&settings.catalog_url, settings.internal_token.clone())?;
    match store::open(settings).await {
        Ok(index) => rebuild_from(index.as_ref(), &catalog).await,
        Err(e) if store::held_by_another_process(&e) => {
            tracing::info!("a running search service holds the index; asking it to reindex");
            clients::search_service::reindex(
                settings.listen_addr,
                settings.internal_token.as_deref(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// Fills an empty `index` from the catalog when the catalog answers at
/// once; returns whether it is still empty and to be filled (see
/// [`fill_when_catalog_is_up`]): the catalog may be starting in this very
/// process.
pub async fn fill_if_empty(
    index: &dyn SearchIndex,
    catalog: &CatalogClient,
) -> anyhow::Result<bool> {
    if index.count().await? != 0 {
        return Ok(false);
    }
    if catalog.answers_within(CATALOG_PROBE_TIMEOUT).await {
        match rebuild_from(index, catalog).await {
            Ok(_) => return Ok(false),
            Err(e) => tracing::warn!(error = ?e, "filling the empty index failed; retrying"),
        }
    }
    Ok(true)
}

/// Retries the first fill of an empty index until the catalog answers.
pub async fn fill_when_catalog_is_up(index: SharedIndex, catalog: CatalogClient) {
    for attempt in 0..FILL_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(FILL_RETRY_INTERVAL).await;
        }
        match index.count().await {
            Ok(0) => {}
            Ok(_) => return,
            Err(e) => tracing::warn!(error = ?e, "counting the index"),
        }
        match rebuild_from(index.as_ref(), &catalog).await {
            Ok(_) => return,
            Err(e) => tracing::debug!(error = ?e, "the catalog cannot fill the index yet"),
        }
    }
    tracing::warn!("gave up filling the empty index; run `shopgraph search reindex`");
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
