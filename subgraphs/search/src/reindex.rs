//! A full reindex: every product from the catalog into a fresh index,
//! swapped in when complete (`shopgraph search reindex`, and at first start
//! when the index is empty).

use std::time::Duration;

use anyhow::Context;

use crate::{
    catalog_client::{CatalogClient, INTERNAL_TOKEN_HEADER, PAGE_SIZE},
    settings::Settings,
    store::{self, Rebuild, SearchIndex},
};

/// Rebuilds the configured index from the catalog; returns how many
/// products are searchable afterwards. When a running search service holds
/// the (tantivy) index, the service at `LISTEN_ADDR` is asked to do it.
pub async fn reindex(settings: &Settings) -> anyhow::Result<u64> {
    let catalog = CatalogClient::new(&settings.catalog_url, settings.internal_token.clone())?;
    match store::open(settings).await {
        Ok(index) => rebuild_from(index.as_ref(), &catalog).await,
        Err(e) if is_held_by_another_process(&e) => {
            tracing::info!("a running search service holds the index; asking it to reindex");
            reindex_in_service(settings).await
        }
        Err(e) => Err(e),
    }
}

fn is_held_by_another_process(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tantivy::TantivyError>()
            .is_some_and(|e| matches!(e, tantivy::TantivyError::LockFailure(..)))
    })
}

/// `POST /internal/reindex` on the service listening at `LISTEN_ADDR`.
async fn reindex_in_service(settings: &Settings) -> anyhow::Result<u64> {
    let token = settings
        .internal_token
        .as_deref()
        .context("INTERNAL_TOKEN is needed to ask the running search service to reindex")?;
    let mut addr = settings.listen_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/internal/reindex"))
        .header(INTERNAL_TOKEN_HEADER, token)
        .timeout(Duration::from_secs(30 * 60))
        .send()
        .await
        .with_context(|| format!("asking the search service at {addr} to reindex"))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("the search service answered {status}: {body}");
    }
    body["searchable"]
        .as_u64()
        .context("the search service's answer has no count")
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
