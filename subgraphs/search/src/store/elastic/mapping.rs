//! The Elasticsearch index the service creates: IK for Chinese (finest cut
//! when indexing, smart cut when searching), the english analyzer for
//! English, and keyword fields for filters, facets and suggestions.

use serde_json::{Value, json};

use crate::{domain::ProductDocument, store::analysis::suggest_keys};

pub fn index_body() -> Value {
    let chinese = json!({
        "type": "text",
        "analyzer": "zh_index",
        "search_analyzer": "zh_search",
        "fields": { "en": { "type": "text", "analyzer": "english" } },
    });
    json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "zh_index": { "type": "custom", "tokenizer": "ik_max_word", "filter": ["lowercase"] },
                    "zh_search": { "type": "custom", "tokenizer": "ik_smart", "filter": ["lowercase"] },
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": { "type": "keyword" },
                "name": chinese,
                "description": chinese,
                "brand": { "type": "keyword", "fields": {
                    "text": { "type": "text", "analyzer": "zh_index", "search_analyzer": "zh_search" },
                    "en": { "type": "text", "analyzer": "english" },
                } },
                "tags": chinese,
                "category_ids": { "type": "keyword" },
                "min_price": { "type": "long" },
                "max_price": { "type": "long" },
                "in_stock": { "type": "boolean" },
                "hot": { "type": "boolean" },
                "sales_count": { "type": "long" },
                "created_at": { "type": "long" },
                "updated_at": { "type": "long" },
                "suggest": { "type": "keyword" },
            }
        }
    })
}

/// A product as an Elasticsearch `_source`.
pub fn source(product: &ProductDocument) -> Value {
    json!({
        "id": product.id,
        "name": product.name,
        "description": product.description,
        "brand": product.brand.as_deref().filter(|b| !b.is_empty()),
        "tags": product.tags,
        "category_ids": product.all_category_ids(),
        "min_price": product.min_price,
        "max_price": product.max_price,
        "in_stock": product.in_stock,
        "hot": product.hot,
        "sales_count": product.sales_count,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
        "suggest": suggest_keys(&product.name),
    })
}
