//! The service through its HTTP `/graphql` endpoint.

use serde_json::{Value, json};

use crate::{
    data::{self, HEADPHONES},
    helpers::{error_code, spawn_app_with},
};

fn name_of(id: &str) -> String {
    data::products()
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.name)
        .unwrap_or_default()
}

#[tokio::test]
async fn search_products_returns_a_connection_of_product_references() {
    let app = spawn_app_with(&data::products()).await;
    let page = app
        .search(json!({ "query": "耳机", "first": 1 }))
        .await
        .expect("a search");
    assert_eq!(page["totalCount"], 2);
    let edge = &page["edges"][0];
    assert!(name_of(edge["node"]["id"].as_str().unwrap_or_default()).contains("耳机"));
    assert_eq!(page["nodes"][0], edge["node"]);
    assert!(edge["score"].as_f64().unwrap_or_default() > 0.0);
    let highlighted = edge["highlights"]["name"].as_str().unwrap_or_default();
    assert!(highlighted.contains("<em>"), "{highlighted}");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    let buckets = page["facets"]["priceBuckets"].as_array().expect("buckets");
    let total: u64 = buckets
        .iter()
        .map(|b| b["count"].as_u64().unwrap_or_default())
        .sum();
    assert_eq!(
        total, 2,
        "the buckets cover the whole result set, not the page"
    );
    let categories = page["facets"]["categories"].as_array().expect("categories");
    assert!(
        categories
            .iter()
            .any(|c| c["category"]["id"] == HEADPHONES && c["count"] == 2)
    );

    let english = app.search_ids(json!({ "query": "Headphones" })).await;
    assert!(
        english.iter().all(|id| name_of(id).contains("Headphones")),
        "{english:?}"
    );
    assert_eq!(english.len(), 2);
}

#[tokio::test]
async fn cursors_page_through_all_results() {
    let app = spawn_app_with(&data::products()).await;
    let mut after = Value::Null;
    let mut seen = Vec::new();
    loop {
        let page = app
            .search(json!({ "sort": "PRICE_ASC", "first": 4, "after": after }))
            .await
            .expect("a page");
        seen.extend(
            page["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].clone()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let mut expected = data::searchable();
    expected.sort_by_key(|p| (p.min_price, p.id.clone()));
    let expected: Vec<Value> = expected.into_iter().map(|p| json!(p.id)).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn empty_queries_browse_and_unknown_categories_find_nothing() {
    let app = spawn_app_with(&data::products()).await;
    for query in [Value::Null, json!(""), json!("   ")] {
        let page = app
            .search(json!({ "query": query, "first": 0 }))
            .await
            .expect("browsing");
        assert_eq!(page["totalCount"], data::searchable().len());
        assert_eq!(page["nodes"], json!([]));
    }
    let page = app
        .search(json!({ "query": "", "filter": { "categoryId": "nope" } }))
        .await
        .expect("a search");
    assert_eq!(page["totalCount"], 0);
    assert_eq!(page["nodes"], json!([]));
}

#[tokio::test]
async fn bad_input_is_a_typed_error_naming_the_argument() {
    let app = spawn_app_with(&data::products()).await;
    let long = "耳".repeat(10_000);
    let cases = [
        (json!({ "first": 101 }), "first"),
        (json!({ "first": -1 }), "first"),
        (json!({ "filter": { "minPrice": -1 } }), "filter.minPrice"),
        (json!({ "filter": { "maxPrice": -100 } }), "filter.maxPrice"),
        (
            json!({ "filter": { "minPrice": 500, "maxPrice": 100 } }),
            "filter.minPrice",
        ),
        (json!({ "query": long }), "query"),
        (json!({ "after": "not-a-cursor" }), "after"),
        (
            json!({ "filter": { "brand": "b".repeat(201) } }),
            "filter.brand",
        ),
        (
            json!({ "filter": { "categoryId": "c".repeat(5_000) } }),
            "filter.categoryId",
        ),
    ];
    for (variables, field) in cases {
        let errors = app.search(variables.clone()).await.expect_err("refused");
        assert_eq!(error_code(&errors), "BAD_USER_INPUT", "{variables}");
        assert_eq!(errors[0]["extensions"]["field"], field, "{variables}");
    }
}

#[tokio::test]
async fn punctuation_and_query_syntax_are_searched_as_text() {
    let app = spawn_app_with(&data::products()).await;
    for query in [
        "?!*",
        "(((",
        "\"",
        "*:*",
        "name:[* TO *]",
        "。！",
        "\\",
        "{\"match_all\":{}}",
    ] {
        let page = app
            .search(json!({ "query": query }))
            .await
            .expect("no error");
        assert_eq!(page["totalCount"], 0, "{query}");
    }
    let shoes = app.search_ids(json!({ "query": "shoes" })).await;
    let tricky = app.search_ids(json!({ "query": "+shoes* OR" })).await;
    assert!(tricky.is_empty(), "OR is a word to find: {tricky:?}");
    let tricky = app.search_ids(json!({ "query": "shoes!*" })).await;
    assert_eq!(shoes, tricky);
}

#[tokio::test]
async fn suggest_products_completes_chinese_and_english_prefixes() {
    let app = spawn_app_with(&data::products()).await;
    let query = "query($prefix: String!, $first: Int) { suggestProducts(prefix: $prefix, first: $first) { text product { id } } }";
    let texts = |body: Value| -> Vec<String> {
        body["data"]["suggestProducts"]
            .as_array()
            .expect("suggestions")
            .iter()
            .map(|s| s["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let body = app.graphql(query, json!({ "prefix": "小米" })).await;
    assert_eq!(
        texts(body),
        ["小米 Redmi Buds 5 蓝牙耳机", "小米 14 Ultra 手机"]
    );
    let body = app.graphql(query, json!({ "prefix": "Thermos sta" })).await;
    assert_eq!(texts(body), ["Thermos Stainless Steel Water Bottle 保温杯"]);
    let body = app.graphql(query, json!({ "prefix": "  " })).await;
    assert_eq!(texts(body), Vec::<String>::new());
    let body = app
        .graphql(query, json!({ "prefix": "s", "first": 21 }))
        .await;
    assert_eq!(error_code(&body["errors"]), "BAD_USER_INPUT");
    let body = app
        .graphql(query, json!({ "prefix": "x".repeat(10_000) }))
        .await;
    assert_eq!(error_code(&body["errors"]), "BAD_USER_INPUT");
}

#[tokio::test]
async fn health_answers() {
    let app = spawn_app_with(&[]).await;
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .expect("the service answers");
    assert!(response.status().is_success());
}

#[tokio::test]
async fn the_checked_in_sdl_is_the_one_served() {
    let app = spawn_app_with(&[]).await;
    let body = app.graphql("{ _service { sdl } }", json!({})).await;
    let served = body["data"]["_service"]["sdl"]
        .as_str()
        .expect("an SDL")
        .to_owned();
    assert_eq!(served, search::sdl());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/search.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    if checked_in != served {
        std::fs::write(path, &served).expect("rewriting schema/search.graphql");
        panic!("schema/search.graphql drifted from the code; it has been rewritten");
    }
}

#[tokio::test]
async fn metrics_count_the_searches() {
    let app = spawn_app_with(&data::products()).await;
    app.search(json!({ "query": "shoes" }))
        .await
        .expect("a search");
    app.search(json!({ "query": "耳机" }))
        .await
        .expect("a search");
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("the service answers")
        .text()
        .await
        .expect("a body");
    assert!(
        text.contains("shopgraph_search_queries_total 2\n"),
        "{text}"
    );
    let documents = format!("shopgraph_search_documents {}\n", data::searchable().len());
    assert!(text.contains(&documents), "{text}");
}
