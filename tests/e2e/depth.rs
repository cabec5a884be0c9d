//! The router and the subgraphs agree on how deep an operation may be
//! (`platform::limits`): one exactly at the router's limit crosses the real
//! subgraphs and answers in full, one level more is refused at the edge.
//! Before they agreed, catalog refused what the router had admitted, and
//! the client saw nulls and a subgraph's error.

use platform::limits::MAX_QUERY_DEPTH;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestPlatform;

/// `{ <root> { nodes { skus { product { skus { ... id } } } } } }`, `depth`
/// fields deep: the `skus`/`product` cycle stays inside catalog, one SKU
/// per product keeps the answer small.
fn sku_cycle(root: &str, depth: usize) -> String {
    let mut query = format!("{{ {root} {{ nodes {{ ");
    for level in 3..depth {
        query.push_str(if level % 2 == 1 {
            "skus { "
        } else {
            "product { "
        });
    }
    query.push_str("id");
    for _ in 1..depth {
        query.push_str(" }");
    }
    query.push_str(" }");
    query
}

/// The `id` at the end of the first path through the answer.
fn deepest_id(mut value: &Value) -> &Value {
    loop {
        value = match value {
            Value::Array(items) => &items[0],
            Value::Object(fields) if fields.contains_key("id") => return &fields["id"],
            Value::Object(fields) => fields.values().next().expect("one field"),
            other => return other,
        };
    }
}

#[tokio::test]
async fn a_query_at_the_depth_limit_is_answered_by_every_subgraph_it_crosses() {
    let platform = TestPlatform::spawn().await;
    // products: a root fetch to catalog, as deep as the client's query.
    // searchProducts: search's root fetch, then catalog's `_entities`
    // fetch for everything below the hits.
    for root in ["products(first: 1)", "searchProducts(first: 1)"] {
        let response = platform
            .graphql(&sku_cycle(root, MAX_QUERY_DEPTH), json!({}), None)
            .await;
        let data = response.data();
        assert!(deepest_id(data).is_string(), "{root}: {data}");

        let deeper = platform
            .graphql(&sku_cycle(root, MAX_QUERY_DEPTH + 1), json!({}), None)
            .await;
        assert_eq!(deeper.status, StatusCode::BAD_REQUEST, "{}", deeper.body);
        assert_eq!(
            deeper.body,
            json!({"errors": [{
                "message": format!(
                    "the operation is {} levels deep; the limit is {MAX_QUERY_DEPTH}",
                    MAX_QUERY_DEPTH + 1
                ),
                "extensions": {"code": "OPERATION_LIMIT_EXCEEDED"}
            }]})
        );
    }
}
