//! Search requests as Elasticsearch query DSL, built as data: query text
//! goes into `multi_match` (analysed, never parsed as query syntax).

use serde_json::{Value, json};

use crate::{
    domain::{SearchFilter, SearchRequest, SortOrder, SuggestPrefix},
    store::aggs,
    store::analysis::SUGGEST_KEY_CHARS,
};

pub fn search_body(request: &SearchRequest) -> Value {
    let must = match &request.text {
        // Each word must occur in some field of one language group, like
        // the tantivy backend's every-term-somewhere rule.
        Some(text) => json!({ "bool": { "should": [
            { "multi_match": {
                "query": text.as_ref(), "type": "cross_fields", "operator": "and",
                "fields": ["name^3", "brand.text^2", "tags^1.5", "description"] } },
            { "multi_match": {
                "query": text.as_ref(), "type": "cross_fields", "operator": "and",
                "fields": ["name.en^3", "brand.en^2", "tags.en^1.5", "description.en"] } },
        ], "minimum_should_match": 1 } }),
        None => json!({ "match_all": {} }),
    };
    let mut body = json!({
        "query": { "bool": { "must": [must], "filter": filters(&request.filter) } },
        "sort": sort(request.sort),
        "track_scores": true,
        "track_total_hits": true,
        "from": request.page.offset(),
        "size": request.page.limit(),
        "_source": ["id"],
        "aggs": aggs::request(),
    });
    if request.text.is_some() {
        let whole = json!({ "number_of_fragments": 0 });
        let fragment = json!({ "fragment_size": 120, "number_of_fragments": 1 });
        body["highlight"] = json!({
            "pre_tags": ["<em>"], "post_tags": ["</em>"], "encoder": "html",
            "fields": {
                "name": whole, "name.en": whole,
                "description": fragment, "description.en": fragment,
            }
        });
    }
    body
}

pub fn suggest_body(prefix: &SuggestPrefix, size: usize) -> Value {
    let key: String = prefix.as_ref().chars().take(SUGGEST_KEY_CHARS).collect();
    json!({
        "query": { "bool": { "filter": [{ "prefix": { "suggest": key } }] } },
        "sort": [{ "sales_count": "desc" }, { "id": "asc" }],
        "size": size,
        "_source": ["id", "name"],
    })
}

fn filters(filter: &SearchFilter) -> Vec<Value> {
    let mut filters = Vec::new();
    if let Some(category) = &filter.category_id {
        filters.push(json!({ "term": { "category_ids": category } }));
    }
    if let Some(brand) = &filter.brand {
        filters.push(json!({ "term": { "brand": brand } }));
    }
    if filter.price.min().is_some() || filter.price.max().is_some() {
        let mut range = serde_json::Map::new();
        if let Some(min) = filter.price.min() {
            range.insert("gte".into(), json!(min));
        }
        if let Some(max) = filter.price.max() {
            range.insert("lte".into(), json!(max));
        }
        filters.push(json!({ "range": { "min_price": range } }));
    }
    if let Some(in_stock) = filter.in_stock {
        filters.push(json!({ "term": { "in_stock": in_stock } }));
    }
    filters
}

fn sort(order: SortOrder) -> Value {
    let primary = match order {
        // Best sellers first among equally relevant products.
        SortOrder::Relevance => {
            return json!([{ "_score": "desc" }, { "sales_count": "desc" }, { "id": "asc" }]);
        }
        SortOrder::PriceAsc => json!({ "min_price": "asc" }),
        SortOrder::PriceDesc => json!({ "min_price": "desc" }),
        SortOrder::Newest => json!({ "created_at": "desc" }),
        SortOrder::Sales => json!({ "sales_count": "desc" }),
    };
    json!([primary, { "id": "asc" }])
}

#[cfg(test)]
mod tests {
    use super::search_body;
    use crate::domain::{Page, SearchFilter, SearchRequest, SearchText, SortOrder};

    #[test]
    fn query_text_is_passed_as_data() {
        let text = SearchText::parse(Some("name:x OR *")).ok().flatten();
        let request = SearchRequest {
            text,
            filter: SearchFilter::default(),
            sort: SortOrder::Relevance,
            page: Page::parse(10, None).expect("a valid page"),
        };
        let body = search_body(&request);
        let should = &body["query"]["bool"]["must"][0]["bool"]["should"];
        assert_eq!(should[0]["multi_match"]["query"], "name:x OR *");
        assert!(!body.to_string().contains("query_string"));
    }
}
