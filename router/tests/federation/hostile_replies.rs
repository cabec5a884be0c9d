//! Subgraphs that answer what no valid subgraph would: every such reply
//! becomes a GraphQL error with the client path, the rest of the answer
//! stands, and nothing is placed under the wrong type.

use serde_json::{Value, json};

use crate::{helpers::Federation, scenario::ScenarioSubgraph, scripted::ScriptedSubgraph};

const STORE: &str = r#"
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { products: [Product] product: Product feed: [Item] }
    type Product @key(fields: "upc") { upc: String! name: String weight: Int }
    type Note { text: String }
    union Item = Product | Note
"#;

const SHIPPING: &str = r#"
    extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.3"
        import: ["@key", "@external", "@requires"]
    )
    type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        shippingEstimate: Int @requires(fields: "weight")
    }
"#;

fn shipping() -> ScenarioSubgraph {
    let products = json!([{"upc": "p1"}, {"upc": "p2"}]);
    ScenarioSubgraph::new("shipping", SHIPPING, json!({"Product": products}))
        .field("Product.shippingEstimate", |product, _| {
            Ok(json!(product["weight"].as_i64().map(|w| w * 10)))
        })
}

async fn store_answering(marker: &str, data: Value) -> Federation {
    let store = ScriptedSubgraph::new("store", STORE).reply(marker, json!({ "data": data }));
    Federation::start(vec![store.into_member(), shipping().into_member()]).await
}

fn malformed(message: &str, path: Value) -> Value {
    json!({"message": message, "path": path, "extensions": {"code": "SUBREQUEST_MALFORMED_RESPONSE"}})
}

#[tokio::test]
async fn an_unknown_typename_nulls_only_its_item() {
    let federation = store_answering(
        "feed",
        json!({"feed": [{"__typename": "Fridge", "text": "cold"}, {"__typename": "Note", "text": "hi"}]}),
    )
    .await;
    assert_eq!(
        federation
            .query("{ feed { __typename ... on Note { text } } }")
            .await,
        json!({
            "data": {"feed": [null, {"__typename": "Note", "text": "hi"}]},
            "errors": [malformed(
                "A subgraph returned a value that is not an object with a known __typename",
                json!(["feed", 0])
            )]
        })
    );
}

/// The store answers root field `field` with `value`, not of the field's
/// shape: the router nulls the field with `message`.
async fn assert_shape_refused(field: &str, value: Value, message: &str) {
    let federation = store_answering(field, json!({ field: value })).await;
    assert_eq!(
        federation.query(&format!("{{ {field} {{ name }} }}")).await,
        json!({
            "data": {field: null},
            "errors": [malformed(message, json!([field]))]
        })
    );
}

#[tokio::test]
async fn a_list_where_an_object_is_due_is_refused() {
    assert_shape_refused(
        "product",
        json!([{"name": "Table"}]),
        "A subgraph returned a value that is not an object",
    )
    .await;
}

#[tokio::test]
async fn an_object_where_a_list_is_due_is_refused() {
    assert_shape_refused(
        "products",
        json!({"name": "Table"}),
        "A subgraph returned a value that is not a list",
    )
    .await;
}

#[tokio::test]
async fn an_object_missing_its_key_is_not_sent_and_says_why() {
    let federation = store_answering(
        "products",
        json!({"products": [
            {"__typename": "Product", "upc": "p1", "weight": 1},
            {"__typename": "Product", "weight": 2}
        ]}),
    )
    .await;
    assert_eq!(
        federation
            .query("{ products { weight shippingEstimate } }")
            .await,
        json!({
            "data": {"products": [
                {"weight": 1, "shippingEstimate": 10},
                {"weight": 2, "shippingEstimate": null}
            ]},
            "errors": [{
                "message": "Subgraph 'shipping' failed: invalid response: `upc`, which this fetch requires, is missing from the object",
                "path": ["products", 1],
                "extensions": {"code": "SUBREQUEST_MALFORMED_RESPONSE", "serviceName": "shipping"}
            }]
        })
    );
    let calls = federation.log("shipping");
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].variables["representations"],
        json!([{"__typename": "Product", "upc": "p1", "weight": 1}])
    );
}

async fn shipping_answering(entities: Value) -> Federation {
    let products = json!({"products": [
        {"__typename": "Product", "upc": "p1", "weight": 1},
        {"__typename": "Product", "upc": "p2", "weight": 2}
    ]});
    let store =
        ScriptedSubgraph::new("store", STORE).reply("products", json!({ "data": products }));
    let shipping = ScriptedSubgraph::new("shipping", SHIPPING)
        .reply("_entities", json!({"data": {"_entities": entities}}));
    Federation::start(vec![store.into_member(), shipping.into_member()]).await
}

fn shipping_failed(message: &str, path: Value) -> Value {
    json!({
        "message": format!("Subgraph 'shipping' failed: invalid response: {message}"),
        "path": path,
        "extensions": {"code": "SUBREQUEST_MALFORMED_RESPONSE", "serviceName": "shipping"}
    })
}

/// Shipping answers `entities`, whose first is not a `Product` entity:
/// p1 gets no estimate and an error with `message`, p2 keeps its own.
async fn assert_first_entity_refused(entities: Value, message: &str) {
    let federation = shipping_answering(entities).await;
    assert_eq!(
        federation
            .query("{ products { upc shippingEstimate } }")
            .await,
        json!({
            "data": {"products": [
                {"upc": "p1", "shippingEstimate": null},
                {"upc": "p2", "shippingEstimate": 20}
            ]},
            "errors": [shipping_failed(message, json!(["products", 0]))]
        })
    );
}

#[tokio::test]
async fn an_entity_of_another_type_is_not_merged() {
    assert_first_entity_refused(
        json!([
            {"__typename": "Note", "shippingEstimate": 5},
            {"__typename": "Product", "shippingEstimate": 20}
        ]),
        "an entity of type `Note` was returned for a `Product`",
    )
    .await;
}

#[tokio::test]
async fn too_few_entities_fail_every_object_of_the_fetch() {
    let federation =
        shipping_answering(json!([{"__typename": "Product", "shippingEstimate": 5}])).await;
    let message = "`_entities` does not hold one entity per representation";
    assert_eq!(
        federation
            .query("{ products { upc shippingEstimate } }")
            .await,
        json!({
            "data": {"products": [
                {"upc": "p1", "shippingEstimate": null},
                {"upc": "p2", "shippingEstimate": null}
            ]},
            "errors": [
                shipping_failed(message, json!(["products", 0])),
                shipping_failed(message, json!(["products", 1]))
            ]
        })
    );
}

#[tokio::test]
async fn a_scalar_entity_is_refused() {
    assert_first_entity_refused(
        json!([7, {"__typename": "Product", "shippingEstimate": 20}]),
        "an entity is not an object",
    )
    .await;
}

#[tokio::test]
async fn leaves_of_the_wrong_scalar_type_are_refused() {
    let federation = store_answering(
        "products",
        json!({"products": [{"name": 5, "weight": "heavy"}, {"name": "Couch", "weight": 3_000_000_000_i64}]}),
    )
    .await;
    assert_eq!(
        federation.query("{ products { name weight } }").await,
        json!({
            "data": {"products": [
                {"name": null, "weight": null},
                {"name": "Couch", "weight": null}
            ]},
            "errors": [
                malformed("A subgraph returned a value that is not a valid String", json!(["products", 0, "name"])),
                malformed("A subgraph returned a value that is not a valid Int", json!(["products", 0, "weight"])),
                malformed("A subgraph returned a value that is not a valid Int", json!(["products", 1, "weight"]))
            ]
        })
    );
}
