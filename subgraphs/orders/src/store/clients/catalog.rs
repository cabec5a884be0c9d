//! The catalog's internal HTTP API, as the orders service calls it: stock
//! reservation (atomic over all lines, idempotent by order id), release
//! (true exactly once per reserved order), flash-sale definitions and SKU
//! owners (wire types in `contracts`: `stock`, `flash_sale`, `sku`,
//! `error`); and the catalog's products with their SKUs, through its
//! federation entry point like the router.

use anyhow::Context;
use contracts::{
    error::{ApiError, OUT_OF_STOCK, UNKNOWN_SKU},
    flash_sale::{self, FlashSaleInfo},
    sku::{self, SkuOwner},
    stock::{
        RELEASE_PATH, RESERVE_PATH, ReleaseRequest, ReleaseResponse, ReserveLine, ReserveRequest,
        ReserveResponse, ReservedLine,
    },
};
use platform::internal::{PEER_TIMEOUT, Peer};
use reqwest::StatusCode;
use serde::Deserialize;

/// Why a reservation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("SKU {0} does not have enough stock")]
    OutOfStock(String),
    #[error("SKU {0} does not exist")]
    UnknownSku(String),
    #[error(transparent)]
    Unavailable(#[from] anyhow::Error),
}

#[derive(Clone)]
pub struct CatalogClient {
    catalog: Peer,
}

impl CatalogClient {
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        Ok(Self {
            catalog: Peer::new("catalog", base, Some(token.to_owned()), PEER_TIMEOUT)?,
        })
    }

    /// Reserves every line for `order_id`, or nothing.
    pub async fn reserve(
        &self,
        order_id: &str,
        lines: &[ReserveLine],
    ) -> Result<Vec<ReservedLine>, ReserveError> {
        let response = self
            .catalog
            .post(RESERVE_PATH)
            .json(&ReserveRequest {
                order_id: order_id.to_owned(),
                lines: lines.to_vec(),
            })
            .send()
            .await
            .context("calling the catalog to reserve stock")?;
        match response.status() {
            StatusCode::OK => Ok(response
                .json::<ReserveResponse>()
                .await
                .context("reading the catalog's reservation")?
                .lines),
            StatusCode::CONFLICT | StatusCode::NOT_FOUND => {
                let error: ApiError = response
                    .json()
                    .await
                    .context("reading the catalog's refusal")?;
                let sku = error.sku_id.unwrap_or_default();
                Err(match error.code.as_str() {
                    OUT_OF_STOCK => ReserveError::OutOfStock(sku),
                    UNKNOWN_SKU => ReserveError::UnknownSku(sku),
                    other => anyhow::anyhow!("catalog refused the reservation: {other}").into(),
                })
            }
            status => Err(anyhow::anyhow!("catalog answered {status} to a reservation").into()),
        }
    }

    /// Gives back the stock reserved for `order_id`; true when this call
    /// released it, false when it was released before (or never reserved).
    pub async fn release(&self, order_id: &str) -> anyhow::Result<bool> {
        let response = self
            .catalog
            .post(RELEASE_PATH)
            .json(&ReleaseRequest {
                order_id: order_id.to_owned(),
            })
            .send()
            .await
            .context("calling the catalog to release stock")?
            .error_for_status()
            .context("the catalog refused to release stock")?;
        Ok(response.json::<ReleaseResponse>().await?.released)
    }

    /// The flash sale `id`, or `None` when the catalog has no such sale.
    pub async fn flash_sale(&self, id: &str) -> anyhow::Result<Option<FlashSaleInfo>> {
        self.lookup(&flash_sale::path(id), "flash sale").await
    }

    /// The product SKU `id` belongs to, or `None` when no such SKU is on
    /// sale.
    pub async fn sku_owner(&self, id: &str) -> anyhow::Result<Option<SkuOwner>> {
        self.lookup(&sku::path(id), "SKU").await
    }

    /// `GET {path}` (an `/internal/…` path): the thing, or `None` on 404.
    async fn lookup<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        what: &str,
    ) -> anyhow::Result<Option<T>> {
        let response = self
            .catalog
            .get(path)
            .send()
            .await
            .with_context(|| format!("asking the catalog for a {what}"))?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let found = response
            .error_for_status()
            .with_context(|| format!("the catalog refused the {what} lookup"))?
            .json()
            .await
            .with_context(|| format!("reading the catalog's {what}"))?;
        Ok(Some(found))
    }
}

/// A SKU as the catalog's graph shows it now (for pricing a cart).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuInfo {
    pub id: String,
    pub name: String,
    pub price: platform::gql::Money,
    pub stock: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductInfo {
    pub id: String,
    pub name: String,
    /// The active SKUs.
    pub skus: Vec<SkuInfo>,
}

const PRODUCTS_QUERY: &str = "query($r: [_Any!]!) { _entities(representations: $r) { \
    ... on Product { id name skus { id name price { amount currency } stock } } } }";

impl CatalogClient {
    /// The products `ids` with their active SKUs, in one request to the
    /// catalog subgraph's federation entry point (the same lookup the
    /// router makes). Unknown ids are absent from the map.
    pub async fn products(
        &self,
        ids: &[String],
    ) -> anyhow::Result<std::collections::HashMap<String, ProductInfo>> {
        #[derive(Deserialize)]
        struct Data {
            #[serde(rename = "_entities")]
            entities: Vec<Option<ProductInfo>>,
        }
        #[derive(Deserialize)]
        struct Body {
            data: Option<Data>,
        }
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let representations: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({ "__typename": "Product", "id": id }))
            .collect();
        let body: Body = self
            .catalog
            .http()
            .post(self.catalog.url("/graphql"))
            .json(&serde_json::json!({
                "query": PRODUCTS_QUERY,
                "variables": { "r": representations },
            }))
            .send()
            .await
            .context("asking the catalog for products")?
            .error_for_status()
            .context("the catalog refused the product lookup")?
            .json()
            .await
            .context("reading the catalog's products")?;
        let data = body
            .data
            .context("the catalog answered the product lookup with errors")?;
        Ok(data
            .entities
            .into_iter()
            .flatten()
            .map(|p| (p.id.clone(), p))
            .collect())
    }
}
