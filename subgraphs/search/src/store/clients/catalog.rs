//! Reads product documents from the catalog's internal API
//! (`GET /internal/products?after=<id>&limit=<n>` or `?ids=<id>,<id>`,
//! header `x-internal-token`; wire types in `contracts::product`).

use std::time::Duration;

use anyhow::Context;
use contracts::product::{IDS_PARAM, PATH, ProductDocumentPage};
use platform::internal::Peer;

use crate::domain::ProductDocument;

/// Products per request: the catalog's maximum is 500.
pub const PAGE_SIZE: usize = 200;

/// How long one page may take: longer than platform's `PEER_TIMEOUT`, as
/// this client always allowed (a reindex reads the whole catalog).
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct CatalogClient {
    catalog: Peer,
}

/// One page, ordered by id, as the index takes it; `next_after` is `None`
/// on the last page.
#[derive(Debug)]
pub struct ProductPage {
    pub products: Vec<ProductDocument>,
    pub next_after: Option<String>,
}

impl From<ProductDocumentPage> for ProductPage {
    fn from(page: ProductDocumentPage) -> Self {
        Self {
            products: page.products.into_iter().map(Into::into).collect(),
            next_after: page.next_after,
        }
    }
}

impl CatalogClient {
    pub fn new(base_url: &str, token: Option<String>) -> anyhow::Result<Self> {
        Ok(Self {
            catalog: Peer::new("catalog", base_url, token, PAGE_TIMEOUT)?,
        })
    }

    /// Whether the catalog answers a one-product page within `timeout`.
    pub async fn answers_within(&self, timeout: Duration) -> bool {
        matches!(
            tokio::time::timeout(timeout, self.products(None, 1)).await,
            Ok(Ok(_))
        )
    }

    /// The page of products after product id `after` (from the start when
    /// `None`).
    pub async fn products(&self, after: Option<&str>, limit: usize) -> anyhow::Result<ProductPage> {
        let mut request = self
            .catalog
            .get(PATH)
            .query(&[("limit", limit.to_string())]);
        if let Some(after) = after {
            request = request.query(&[("after", after)]);
        }
        self.page(request).await
    }

    /// The current documents of the products `ids` that exist.
    pub async fn products_by_ids(&self, ids: &[String]) -> anyhow::Result<Vec<ProductDocument>> {
        let request = self.catalog.get(PATH).query(&[(IDS_PARAM, ids.join(","))]);
        Ok(self.page(request).await?.products)
    }

    async fn page(&self, request: reqwest::RequestBuilder) -> anyhow::Result<ProductPage> {
        let response = request
            .send()
            .await
            .with_context(|| format!("calling the catalog at {}", self.catalog.base()))?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            anyhow::bail!("the catalog answered {status}: {body}");
        }
        let page: ProductDocumentPage = response
            .json()
            .await
            .context("reading the catalog's product page")?;
        Ok(page.into())
    }
}
