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

/// Reads the answer to [`request`]. An index without any segment (tantivy,
/// before the first write) answers with no buckets at all: zero counts.
pub fn parse(result: &Value) -> anyhow::Result<Facets> {
    let ranges = PriceBucket::ranges();
    let mut price_counts = buckets(result, "prices")?
        .iter()
        .map(doc_count)
        .collect::<anyhow::Result<Vec<u64>>>()?;
    if price_counts.is_empty() {
        price_counts = vec![0; ranges.len()];
    }
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

fn buckets<'a>(result: &'a Value, name: &str) -> anyhow::Result<&'a [Value]> {
    match result.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(agg) => agg
            .get("buckets")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .with_context(|| format!("aggregation {name} has no buckets")),
    }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::parse;

    #[test]
    fn an_empty_answer_is_zero_counts() {
        let facets = parse(&json!({})).expect("facets");
        assert!(facets.categories.is_empty() && facets.brands.is_empty());
        assert_eq!(facets.prices.len(), 7);
        assert!(facets.prices.iter().all(|b| b.count == 0));
    }

    #[test]
    fn terms_are_most_frequent_first() {
        let answer = json!({
            "brands": { "buckets": [
                { "key": "b", "doc_count": 1 }, { "key": "a", "doc_count": 1 },
                { "key": "c", "doc_count": 5 }
            ] },
            "prices": { "buckets": [{ "doc_count": 1 }, { "doc_count": 0 }, { "doc_count": 0 },
                { "doc_count": 0 }, { "doc_count": 0 }, { "doc_count": 0 }, { "doc_count": 6 }] }
        });
        let facets = parse(&answer).expect("facets");
        let brands: Vec<&str> = facets.brands.iter().map(|b| b.value.as_str()).collect();
        assert_eq!(brands, ["c", "a", "b"]);
        assert_eq!(facets.prices[6].count, 6);
        assert!(parse(&json!({ "prices": { "buckets": [{ "doc_count": 1 }] } })).is_err());
    }
}
