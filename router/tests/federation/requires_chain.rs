//! `@requires` chains and `@include`/`@skip` across subgraphs: `pricing`
//! computes a total from `products`' price, `delivery` needs that total,
//! and conditions decide which of those fetches run at all.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const PRODUCTS: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { products: [Product] }
    type Product @key(fields: "id") { id: ID! price: Int }
"#;

const PRICING: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@requires"]
    )
    type Product @key(fields: "id") {
        id: ID!
        price: Int @external
        total: Int @requires(fields: "price")
    }
"#;

const DELIVERY: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@requires"]
    )
    type Product @key(fields: "id") {
        id: ID!
        total: Int @external
        freeDelivery: Boolean @requires(fields: "total")
    }
"#;

fn ids() -> Value {
    json!([{"id": "1"}, {"id": "2"}])
}

async fn chain() -> Federation {
    let products = ScenarioSubgraph::new(
        "products",
        PRODUCTS,
        json!({"Query": {"products": [{"id": "1", "price": 40}, {"id": "2", "price": 70}]}}),
    );
    let pricing = ScenarioSubgraph::new("pricing", PRICING, json!({"Product": ids()})).field(
        "Product.total",
        |product, _| {
            let price = product["price"].as_i64().ok_or("price was not provided")?;
            Ok(json!(price + 5))
        },
    );
    let delivery = ScenarioSubgraph::new("delivery", DELIVERY, json!({"Product": ids()})).field(
        "Product.freeDelivery",
        |product, _| {
            let total = product["total"].as_i64().ok_or("total was not provided")?;
            Ok(json!(total >= 50))
        },
    );
    Federation::start(vec![
        products.into_member(),
        pricing.into_member(),
        delivery.into_member(),
    ])
    .await
}

fn calls(federation: &Federation) -> [usize; 3] {
    ["products", "pricing", "delivery"].map(|name| federation.log(name).len())
}

#[tokio::test]
async fn a_field_requiring_a_required_field_runs_the_whole_chain() {
    let federation = chain().await;
    assert_eq!(
        federation.query("{ products { id freeDelivery } }").await,
        json!({"data": {"products": [
            {"id": "1", "freeDelivery": false},
            {"id": "2", "freeDelivery": true}
        ]}})
    );
    assert_eq!(calls(&federation), [1, 1, 1]);
    assert_eq!(
        federation.log("delivery")[0].variables["representations"],
        json!([
            {"__typename": "Product", "id": "1", "total": 45},
            {"__typename": "Product", "id": "2", "total": 75}
        ])
    );
}

#[tokio::test]
async fn a_skipped_field_runs_none_of_its_fetches() {
    let federation = chain().await;
    let query = "query ($free: Boolean!) { products { id freeDelivery @include(if: $free) } }";
    let (status, body) = federation.router.query(query, json!({"free": false})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"products": [{"id": "1"}, {"id": "2"}]}})
    );
    assert_eq!(calls(&federation), [1, 0, 0]);
}

#[tokio::test]
async fn a_condition_with_a_default_value_is_honoured() {
    let federation = chain().await;
    let query =
        "query ($skip: Boolean = true) { products { id total @skip(if: $skip) freeDelivery } }";
    assert_eq!(
        federation.query(query).await,
        json!({"data": {"products": [
            {"id": "1", "freeDelivery": false},
            {"id": "2", "freeDelivery": true}
        ]}})
    );
    let (status, body) = federation.router.query(query, json!({"skip": false})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"products": [
            {"id": "1", "total": 45, "freeDelivery": false},
            {"id": "2", "total": 75, "freeDelivery": true}
        ]}})
    );
}

/// The plans: products, then pricing, then delivery, each needing the one
/// before; under `@include` the two dependent fetches become conditional.
#[test]
fn the_plan_of_a_requires_chain_is_a_sequence_and_its_condition_a_branch() {
    let subgraphs = [
        ("products", PRODUCTS),
        ("pricing", PRICING),
        ("delivery", DELIVERY),
    ];
    insta::assert_snapshot!(
        "unconditional",
        plan_of(&subgraphs, "{ products { id freeDelivery } }")
    );
    let conditional =
        "query ($free: Boolean!) { products { id freeDelivery @include(if: $free) } }";
    insta::assert_snapshot!("under_include", plan_of(&subgraphs, conditional));
}
