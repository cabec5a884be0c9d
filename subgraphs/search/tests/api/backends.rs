//! The backends the shared suite runs on: tantivy always, Elasticsearch
//! when `ELASTICSEARCH_URL` is set (and then it must be reachable).

use std::sync::Arc;

use search::store::{ElasticIndex, SharedIndex, TantivyIndex};
use tempfile::TempDir;

/// A fresh, empty index on one backend, removed when the test is done.
pub struct TestIndex {
    pub name: &'static str,
    pub index: SharedIndex,
    _dir: Option<TempDir>,
    elastic: Option<ElasticIndex>,
}

impl TestIndex {
    pub async fn tantivy() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let index = TantivyIndex::open(dir.path().join("search-index")).expect("a tantivy index");
        Self {
            name: "tantivy",
            index: Arc::new(index),
            _dir: Some(dir),
            elastic: None,
        }
    }

    pub async fn elastic(url: &str) -> Self {
        let alias = format!("test-products-{}", uuid::Uuid::new_v4().simple());
        let index = ElasticIndex::connect(url, &alias)
            .await
            .expect("ELASTICSEARCH_URL is set, so Elasticsearch must be reachable");
        Self {
            name: "elasticsearch",
            index: Arc::new(index.clone()),
            _dir: None,
            elastic: Some(index),
        }
    }

    pub async fn cleanup(self) {
        if let Some(elastic) = self.elastic {
            elastic.destroy().await.expect("removing the test index");
        }
    }
}

/// One fresh index per switched-on backend.
pub async fn test_indexes() -> Vec<TestIndex> {
    let mut indexes = vec![TestIndex::tantivy().await];
    if let Some(url) = platform::config::env_opt("ELASTICSEARCH_URL") {
        indexes.push(TestIndex::elastic(&url).await);
    }
    indexes
}

/// Runs `check` on every backend, each loaded with `products` first.
pub async fn on_each_backend<F, Fut>(products: &[search::domain::ProductDocument], check: F)
where
    F: Fn(SharedIndex, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for test_index in test_indexes().await {
        test_index
            .index
            .upsert(products)
            .await
            .expect("indexing the demo products");
        check(test_index.index.clone(), test_index.name).await;
        test_index.cleanup().await;
    }
}
