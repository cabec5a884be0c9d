//! The production backend: Elasticsearch through the official client.
//!
//! Searches go to an alias; a full reindex fills a new index and moves the
//! alias to it in one `_aliases` call, so searches never see a half-built
//! index. Writes carry the product's `updated_at` as an external version,
//! so a redelivered or late event cannot overwrite newer data.

mod mapping;
mod query;
mod rebuild;

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use async_trait::async_trait;
use elasticsearch::{
    BulkOperation, BulkParts, CountParts, Elasticsearch, SearchParts,
    http::{
        Url,
        response::Response,
        transport::{SingleNodeConnectionPool, TransportBuilder},
    },
    indices::{
        IndicesCreateParts, IndicesDeleteParts, IndicesExistsAliasParts, IndicesGetAliasParts,
    },
    params::{Refresh, VersionType},
};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use self::rebuild::ElasticRebuild;
use super::{Rebuild, SearchIndex, aggs};
use crate::domain::{
    ProductDocument, SearchHit, SearchRequest, SearchResults, SuggestPrefix, Suggestion,
};

#[derive(Clone)]
pub struct ElasticIndex {
    client: Elasticsearch,
    alias: String,
    /// The gate every write passes: it holds the index a rebuild is
    /// filling, if any, so writes made meanwhile reach it too and the alias
    /// never moves in the middle of a write. (Ordering between a write and
    /// a rebuild's older page is Elasticsearch's external versioning.)
    pending: Arc<Mutex<Option<String>>>,
}

impl ElasticIndex {
    /// Connects to `url` and makes sure `alias` points at an index with
    /// this service's mapping, creating one if there is none.
    pub async fn connect(url: &str, alias: &str) -> anyhow::Result<Self> {
        let url = Url::parse(url).context("ELASTICSEARCH_URL is not a URL")?;
        let transport = TransportBuilder::new(SingleNodeConnectionPool::new(url))
            .timeout(Duration::from_secs(30))
            .build()
            .context("building the Elasticsearch transport")?;
        let index = Self {
            client: Elasticsearch::new(transport),
            alias: alias.to_owned(),
            pending: Arc::new(Mutex::new(None)),
        };
        let exists = index
            .client
            .indices()
            .exists_alias(IndicesExistsAliasParts::Name(&[alias]))
            .send()
            .await
            .context("asking Elasticsearch for the alias")?;
        // A HEAD request: the status says it all, there is no body.
        match exists.status_code().as_u16() {
            200 => {}
            404 => {
                let name = index.create_index().await?;
                index
                    .update_aliases(json!([{ "add": { "index": name, "alias": alias } }]))
                    .await?;
            }
            status => anyhow::bail!("Elasticsearch answered {status} for the alias {alias}"),
        }
        Ok(index)
    }

    /// Deletes every index behind the alias (tests clean up with it).
    pub async fn destroy(&self) -> anyhow::Result<()> {
        let indices = self.indices_behind_alias().await?;
        self.delete_indices(&indices).await
    }

    async fn create_index(&self) -> anyhow::Result<String> {
        let name = format!("{}-{}", self.alias, uuid::Uuid::now_v7().simple());
        let response = self
            .client
            .indices()
            .create(IndicesCreateParts::Index(&name))
            .body(mapping::index_body())
            .send()
            .await
            .context("creating the Elasticsearch index")?;
        checked(response).await?;
        Ok(name)
    }

    async fn indices_behind_alias(&self) -> anyhow::Result<Vec<String>> {
        let response = self
            .client
            .indices()
            .get_alias(IndicesGetAliasParts::Name(&[&self.alias]))
            .send()
            .await
            .context("reading the alias")?;
        if response.status_code().as_u16() == 404 {
            return Ok(Vec::new());
        }
        let body = checked(response).await?;
        Ok(body
            .as_object()
            .map(|indices| indices.keys().cloned().collect())
            .unwrap_or_default())
    }

    async fn update_aliases(&self, actions: Value) -> anyhow::Result<()> {
        let response = self
            .client
            .indices()
            .update_aliases()
            .body(json!({ "actions": actions }))
            .send()
            .await
            .context("updating aliases")?;
        checked(response).await.map(drop)
    }

    async fn delete_indices(&self, indices: &[String]) -> anyhow::Result<()> {
        if indices.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = indices.iter().map(String::as_str).collect();
        let response = self
            .client
            .indices()
            .delete(IndicesDeleteParts::Index(&names))
            .send()
            .await
            .context("deleting old indices")?;
        checked(response).await.map(drop)
    }

    async fn bulk(
        &self,
        index: &str,
        operations: Vec<BulkOperation<Value>>,
        refresh: bool,
    ) -> anyhow::Result<()> {
        if operations.is_empty() {
            return Ok(());
        }
        let request = self.client.bulk(BulkParts::Index(index)).body(operations);
        let request = if refresh {
            request.refresh(Refresh::WaitFor)
        } else {
            request
        };
        let body = checked(request.send().await.context("bulk indexing")?).await?;
        if body["errors"].as_bool() != Some(true) {
            return Ok(());
        }
        let items = body["items"].as_array().cloned().unwrap_or_default();
        for item in items {
            let Some((_, result)) = item.as_object().and_then(|o| o.iter().next()) else {
                continue;
            };
            let error = &result["error"];
            // An older version than the one indexed is not news: skipped.
            if error.is_null() || error["type"] == "version_conflict_engine_exception" {
                continue;
            }
            anyhow::bail!("bulk item failed: {error}");
        }
        Ok(())
    }
}

/// One write per product: index the searchable, delete the rest, each at
/// the product's version.
fn write_operations(products: &[ProductDocument]) -> Vec<BulkOperation<Value>> {
    products
        .iter()
        .map(|product| {
            let version = product.updated_at.max(0);
            if product.is_searchable() {
                BulkOperation::index(mapping::source(product))
                    .id(&product.id)
                    .version(version)
                    .version_type(VersionType::ExternalGte)
                    .into()
            } else {
                BulkOperation::delete(&product.id)
                    .version(version)
                    .version_type(VersionType::ExternalGte)
                    .into()
            }
        })
        .collect()
}

#[async_trait]
impl SearchIndex for ElasticIndex {
    async fn upsert(&self, products: &[ProductDocument]) -> anyhow::Result<()> {
        let pending = self.pending.lock().await;
        self.bulk(&self.alias, write_operations(products), true)
            .await?;
        if let Some(index) = pending.as_deref() {
            self.bulk(index, write_operations(products), false).await?;
        }
        Ok(())
    }

    async fn delete(&self, ids: &[String]) -> anyhow::Result<()> {
        let operations = || {
            ids.iter()
                .map(|id| BulkOperation::<Value>::delete(id).into())
                .collect()
        };
        let pending = self.pending.lock().await;
        self.bulk(&self.alias, operations(), true).await?;
        if let Some(index) = pending.as_deref() {
            self.bulk(index, operations(), false).await?;
        }
        Ok(())
    }

    async fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let response = self
            .client
            .search(SearchParts::Index(&[&self.alias]))
            .body(query::search_body(request))
            .send()
            .await
            .context("searching Elasticsearch")?;
        let body = checked(response).await?;
        let hits = body["hits"]["hits"]
            .as_array()
            .context("a search response without hits")?
            .iter()
            .map(|hit| {
                Ok(SearchHit {
                    id: hit["_id"].as_str().context("a hit without _id")?.to_owned(),
                    score: hit["_score"].as_f64().unwrap_or_default() as f32,
                    name_highlight: highlight(hit, "name"),
                    description_highlight: highlight(hit, "description"),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(SearchResults {
            hits,
            total: body["hits"]["total"]["value"].as_u64().unwrap_or_default(),
            facets: aggs::parse(&body["aggregations"])?,
        })
    }

    async fn suggest(
        &self,
        prefix: &SuggestPrefix,
        limit: usize,
    ) -> anyhow::Result<Vec<Suggestion>> {
        let response = self
            .client
            .search(SearchParts::Index(&[&self.alias]))
            .body(query::suggest_body(prefix, limit.max(1).saturating_mul(4)))
            .send()
            .await
            .context("looking up suggestions")?;
        let body = checked(response).await?;
        let mut suggestions: Vec<Suggestion> = Vec::new();
        for hit in body["hits"]["hits"].as_array().into_iter().flatten() {
            let (Some(id), Some(name)) = (
                hit["_source"]["id"].as_str(),
                hit["_source"]["name"].as_str(),
            ) else {
                continue;
            };
            let fits = crate::domain::normalize(name).contains(prefix.as_ref());
            if fits && !suggestions.iter().any(|s| s.text == name) {
                suggestions.push(Suggestion {
                    product_id: id.to_owned(),
                    text: name.to_owned(),
                });
            }
            if suggestions.len() == limit {
                break;
            }
        }
        Ok(suggestions)
    }

    async fn count(&self) -> anyhow::Result<u64> {
        let response = self
            .client
            .count(CountParts::Index(&[&self.alias]))
            .send()
            .await
            .context("counting documents")?;
        let body = checked(response).await?;
        body["count"]
            .as_u64()
            .context("a count response without count")
    }

    async fn rebuild(&self) -> anyhow::Result<Box<dyn Rebuild>> {
        let mut pending = self.pending.lock().await;
        if pending.is_some() {
            anyhow::bail!("a rebuild is already running");
        }
        let index = self.create_index().await?;
        *pending = Some(index.clone());
        Ok(Box::new(ElasticRebuild {
            target: self.clone(),
            index,
        }))
    }
}

/// The first highlighted fragment of `field`, from its Chinese analysis or
/// else its English one.
fn highlight(hit: &Value, field: &str) -> Option<String> {
    let highlights = &hit["highlight"];
    [field.to_owned(), format!("{field}.en")]
        .iter()
        .find_map(|f| highlights[f.as_str()][0].as_str())
        .map(str::to_owned)
}

/// The JSON body of a successful response, or the error Elasticsearch gave.
async fn checked(response: Response) -> anyhow::Result<Value> {
    let status = response.status_code();
    let body: Value = response
        .json()
        .await
        .context("reading an Elasticsearch response")?;
    if status.is_success() {
        Ok(body)
    } else {
        anyhow::bail!("Elasticsearch answered {status}: {}", body["error"])
    }
}
