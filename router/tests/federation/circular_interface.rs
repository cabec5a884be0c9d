//! A field of an interface that returns the interface, implemented with a
//! narrower type and `@provides`: `shop` serves books that point at the
//! book of the same price, `prices` owns the price.

use serde_json::{Value, json};

use crate::{helpers::Federation, plans::plan_of, scenario::ScenarioSubgraph};

const SHOP: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@provides"]
    )
    type Query { product: Product }
    interface Product { samePriceProduct: Product }
    type Book implements Product @key(fields: "id") {
        id: ID!
        samePriceProduct: Book @provides(fields: "price")
        price: Float @external
    }
"#;

const PRICES: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
    type Book @key(fields: "id") { id: ID! price: Float @shareable }
"#;

fn books() -> Vec<Value> {
    vec![
        json!({"__typename": "Book", "id": "1", "price": 10.99}),
        json!({"__typename": "Book", "id": "2", "price": 15.0}),
        json!({"__typename": "Book", "id": "3", "price": 10.99}),
    ]
}

async fn shop_and_prices() -> Federation {
    let shop = ScenarioSubgraph::new(
        "shop",
        SHOP,
        json!({"Query": {"product": books()[0]}, "Book": books()}),
    )
    .field("Book.samePriceProduct", |book, _| {
        let same = books()
            .into_iter()
            .find(|b| b["price"] == book["price"] && b["id"] != book["id"]);
        Ok(same.unwrap_or(Value::Null))
    });
    let prices = ScenarioSubgraph::new("prices", PRICES, json!({"Book": books()}));
    Federation::start(vec![shop.into_member(), prices.into_member()]).await
}

#[tokio::test]
async fn an_interface_fragment_inside_the_circular_field_is_applied() {
    let federation = shop_and_prices().await;
    assert_eq!(
        federation
            .query("{ product { samePriceProduct { ... on Product { samePriceProduct { __typename } } } } }")
            .await,
        json!({"data": {"product": {"samePriceProduct": {"samePriceProduct": {"__typename": "Book"}}}}})
    );
    assert!(federation.log("prices").is_empty());
}

#[tokio::test]
async fn provided_and_owned_fields_meet_through_the_circle() {
    let federation = shop_and_prices().await;
    let query = "{ product {
        __typename
        samePriceProduct {
            __typename
            ... on Book { id }
            samePriceProduct { __typename ... on Book { id } }
        }
        ... on Book { __typename id price samePriceProduct { id price } }
    } }";
    assert_eq!(
        federation.query(query).await,
        json!({"data": {"product": {
            "__typename": "Book",
            "samePriceProduct": {
                "__typename": "Book",
                "id": "3",
                "samePriceProduct": {"__typename": "Book", "id": "1"},
                "price": 10.99
            },
            "id": "1",
            "price": 10.99
        }}})
    );
    // The product's own price comes from its owner; the provided one
    // comes along with samePriceProduct.
    let prices = federation.log("prices");
    assert_eq!(prices.len(), 1, "{prices:?}");
    assert_eq!(
        prices[0].variables["representations"],
        json!([{"__typename": "Book", "id": "1"}])
    );
}

/// The plan: the price shop provides on the circular field comes with
/// shop's fetch; prices is asked only for the outer book's price.
#[test]
fn the_plan_through_the_circle_fetches_only_unprovided_prices() {
    let subgraphs = [("shop", SHOP), ("prices", PRICES)];
    let query = "{ product { ... on Book { id price samePriceProduct { id price } } } }";
    insta::assert_snapshot!(plan_of(&subgraphs, query));
}
