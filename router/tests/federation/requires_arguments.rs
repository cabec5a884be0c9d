//! `@requires` on fields that take arguments: `shipping` needs the price
//! in two currencies, `community` needs the first three comments. Each
//! representation must carry the value fetched with the arguments its
//! own `@requires` names.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const PRODUCTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
    type Query { products: [Product] }
    type Product @key(fields: "upc") {
        upc: String!
        name: String
        weight: Int
        price(currency: String!): Int
        comments(limit: Int!): [Comment]
    }
    type Comment @shareable { authorId: ID! body: String }
"#;

const SHIPPING: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@requires"]
    )
    type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price(currency: String!): Int @external
        shippingEstimate: Int @requires(fields: "price(currency: \"USD\") weight")
        shippingEstimateEur: Int @requires(fields: "price(currency: \"EUR\") weight")
    }
"#;

const COMMUNITY: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@requires", "@shareable"]
    )
    type Product @key(fields: "upc") {
        upc: String!
        comments(limit: Int!): [Comment] @external
        topCommenters: [ID] @requires(fields: "comments(limit: 3) { authorId }")
    }
    type Comment @shareable { authorId: ID! @external }
"#;

fn catalogue() -> Value {
    json!([
        {"upc": "p1", "name": "p-name-1", "weight": 1, "usd": 11, "authors": ["a", "b", "c", "d"]},
        {"upc": "p2", "name": "p-name-2", "weight": 4, "usd": 22, "authors": ["e"]}
    ])
}

async fn three_subgraphs() -> Federation {
    let products = ScenarioSubgraph::new(
        "products",
        PRODUCTS,
        json!({"Query": {"products": catalogue()}, "Product": catalogue()}),
    )
    .field("Product.price", |product, args| {
        let usd = product["usd"].as_i64().unwrap_or_default();
        match args["currency"].as_str() {
            Some("USD") => Ok(json!(usd)),
            Some("EUR") => Ok(json!(usd * 2)),
            other => Err(format!("no price in {other:?}")),
        }
    })
    .field("Product.comments", |product, args| {
        let limit = args["limit"].as_u64().unwrap_or_default() as usize;
        let authors = product["authors"].as_array().cloned().unwrap_or_default();
        Ok(authors
            .into_iter()
            .take(limit)
            .map(|author| json!({"authorId": author, "body": format!("by {}", author.as_str().unwrap_or_default())}))
            .collect())
    });
    let shipping = ScenarioSubgraph::new("shipping", SHIPPING, json!({"Product": catalogue()}))
        .field("Product.shippingEstimate", |p, _| estimate(p))
        .field("Product.shippingEstimateEur", |p, _| estimate(p));
    let community = ScenarioSubgraph::new("community", COMMUNITY, json!({"Product": catalogue()}))
        .field("Product.topCommenters", |product, _| {
            let comments = product["comments"]
                .as_array()
                .ok_or("the required comments were not provided")?;
            Ok(comments.iter().map(|c| c["authorId"].clone()).collect())
        });
    Federation::start(vec![
        products.into_member(),
        shipping.into_member(),
        community.into_member(),
    ])
    .await
}

/// The estimate from the required price (whatever its currency) and weight.
fn estimate(product: &Value) -> Result<Value, String> {
    match (product["price"].as_i64(), product["weight"].as_i64()) {
        (Some(price), Some(weight)) => Ok(json!(price * weight * 10)),
        _ => Err(format!("price and weight were not provided: {product}")),
    }
}

#[tokio::test]
async fn a_required_field_is_fetched_with_its_arguments() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation
            .query("{ products { upc name shippingEstimate } }")
            .await,
        json!({"data": {"products": [
            {"upc": "p1", "name": "p-name-1", "shippingEstimate": 110},
            {"upc": "p2", "name": "p-name-2", "shippingEstimate": 880}
        ]}})
    );
    let calls = federation.log("shipping");
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].variables["representations"],
        json!([
            {"__typename": "Product", "upc": "p1", "price": 11, "weight": 1},
            {"__typename": "Product", "upc": "p2", "price": 22, "weight": 4}
        ])
    );
}

#[tokio::test]
async fn a_required_list_with_arguments_reaches_the_dependent_fetch() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation.query("{ products { upc topCommenters } }").await,
        json!({"data": {"products": [
            {"upc": "p1", "topCommenters": ["a", "b", "c"]},
            {"upc": "p2", "topCommenters": ["e"]}
        ]}})
    );
    let calls = federation.log("community");
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].variables["representations"][0],
        json!({"__typename": "Product", "upc": "p1", "comments": [
            {"authorId": "a"}, {"authorId": "b"}, {"authorId": "c"}
        ]})
    );
}

#[tokio::test]
async fn two_fields_requiring_one_field_with_different_arguments_each_get_their_own() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation
            .query("{ products { upc shippingEstimate shippingEstimateEur } }")
            .await,
        json!({"data": {"products": [
            {"upc": "p1", "shippingEstimate": 110, "shippingEstimateEur": 220},
            {"upc": "p2", "shippingEstimate": 880, "shippingEstimateEur": 1760}
        ]}})
    );
}

#[tokio::test]
async fn the_client_can_ask_for_the_required_field_with_its_own_arguments() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation
            .query(r#"{ products { upc price(currency: "EUR") shippingEstimate usd: price(currency: "USD") } }"#)
            .await,
        json!({"data": {"products": [
            {"upc": "p1", "price": 22, "shippingEstimate": 110, "usd": 11},
            {"upc": "p2", "price": 44, "shippingEstimate": 880, "usd": 22}
        ]}})
    );
}
#[tokio::test]
async fn a_required_list_and_the_clients_own_arguments_do_not_mix() {
    let federation = three_subgraphs().await;
    assert_eq!(
        federation
            .query("{ products { upc comments(limit: 1) { body } topCommenters } }")
            .await,
        json!({"data": {"products": [
            {"upc": "p1", "comments": [{"body": "by a"}], "topCommenters": ["a", "b", "c"]},
            {"upc": "p2", "comments": [{"body": "by e"}], "topCommenters": ["e"]}
        ]}})
    );
}

/// The plan: each `@requires` fetches `price` with its own argument, under
/// an alias of its own, next to the client's own `price`.
#[test]
fn the_plan_fetches_each_required_field_with_its_arguments() {
    let subgraphs = [
        ("products", PRODUCTS),
        ("shipping", SHIPPING),
        ("community", COMMUNITY),
    ];
    let query = r#"{ products { price(currency: "EUR") shippingEstimate shippingEstimateEur topCommenters } }"#;
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
