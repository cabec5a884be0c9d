//! The facet aggregations, in the Elasticsearch aggregation language that
//! tantivy also speaks, so both backends ask for and read facets alike.

use anyhow::Context;
use serde_json::{Value, json};

use crate::domain::{FacetCount, Facets, PriceBucket};

/// More distinct values than a storefront shows; counts stay exact below it.
const MAX_FACET_VALUES: u32 = 1000;

pub fn request() -> Value {
    let ranges: Vec<Value> = PriceBucket::ranges()
        .into_iter()
        .map(|(from, to)| {
            let mut range = serde_json::Map::new();
            if let Some(from) = from {
                range.insert("from".into(), json!(from));
            }
            if let Some(to) = to {
                range.insert("to".into(), json!(to));
            }
            Value::Object(range)
        })
        .collect();
    json!({
        "categories": { "terms": { "field": "category_ids", "size": MAX_FACET_VALUES } },
        "brands": { "terms": { "field": "brand", "size": MAX_FACET_VALUES } },
        "prices": { "range": { "field": "min_price", "ranges": ranges } },
    })
}

/// Reads the answer to [`request`].
pub fn parse(result: &Value) -> anyhow::Result<Facets> {
    let price_counts = buckets(result, "prices")?
        .iter()
        .map(doc_count)
        .collect::<anyhow::Result<Vec<u64>>>()?;
    let ranges = PriceBucket::ranges();
    anyhow::ensure!(
        price_counts.len() == ranges.len(),
        "expected {} price buckets, got {}",
        ranges.len(),
        price_counts.len()
    );
    Ok(Facets {
        categories: terms(result, "categories")?,
        brands: terms(result, "brands")?,
        prices: ranges
            .into_iter()
            .zip(price_counts)
            .map(|((min, max), count)| PriceBucket { min, max, count })
            .collect(),
    })
}

fn buckets<'a>(result: &'a Value, name: &str) -> anyhow::Result<&'a Vec<Value>> {
    result
        .get(name)
        .and_then(|agg| agg.get("buckets"))
        .and_then(Value::as_array)
        .with_context(|| format!("aggregation {name} has no buckets"))
}

fn doc_count(bucket: &Value) -> anyhow::Result<u64> {
    bucket
        .get("doc_count")
        .and_then(Value::as_u64)
        .context("bucket without doc_count")
}

fn terms(result: &Value, name: &str) -> anyhow::Result<Vec<FacetCount>> {
    let mut counts = buckets(result, name)?
        .iter()
        .map(|bucket| {
            let value = match bucket.get("key") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => anyhow::bail!("bucket without key"),
            };
            Ok(FacetCount {
                value,
                count: doc_count(bucket)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    counts.retain(|c| c.count > 0);
    FacetCount::sort(&mut counts);
    Ok(counts)
}
