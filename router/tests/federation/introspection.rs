//! Introspection as the September 2025 specification defines it, for a
//! supergraph with a `@oneOf` input, deprecated arguments and input fields
//! and a `@specifiedBy` scalar. The expected results are graphql-js 17.1's
//! answers for the same API schema.

use serde_json::{Value, json};

use crate::inputs_subgraph::setup;

#[tokio::test]
async fn types_say_whether_they_are_one_of_and_show_deprecated_input_fields_on_request() {
    let (subgraph, router) = setup().await;
    let query = r#"{
        by: __type(name: "ProductBy") {
            kind name isOneOf
            inputFields { name type { kind name ofType { name } } defaultValue isDeprecated deprecationReason }
        }
        filter: __type(name: "ProductFilter") {
            isOneOf
            inputFields { name }
            all: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason }
        }
        product: __type(name: "Product") { kind isOneOf }
        uuid: __type(name: "Uuid") { kind specifiedByURL isOneOf }
        list: __type(name: "Query") { fields { name type { kind isOneOf ofType { kind isOneOf } } } }
    }"#;
    let (status, body) = router.query(query, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let input = |name: &str| {
        json!({"name": name, "type": {"kind": "SCALAR", "name": if name == "id" { "ID" } else { "String" }, "ofType": null},
               "defaultValue": null, "isDeprecated": false, "deprecationReason": null})
    };
    assert_eq!(
        body,
        json!({"data": {
            "by": {"kind": "INPUT_OBJECT", "name": "ProductBy", "isOneOf": true, "inputFields": [input("id"), input("upc")]},
            "filter": {
                "isOneOf": false,
                "inputFields": [{"name": "name"}],
                "all": [
                    {"name": "name", "isDeprecated": false, "deprecationReason": null},
                    {"name": "title", "isDeprecated": true, "deprecationReason": "Use `name`."}
                ]
            },
            "product": {"kind": "OBJECT", "isOneOf": null},
            "uuid": {"kind": "SCALAR", "specifiedByURL": "https://tools.ietf.org/html/rfc4122", "isOneOf": null},
            "list": {"fields": [
                {"name": "product", "type": {"kind": "OBJECT", "isOneOf": null, "ofType": null}},
                {"name": "products", "type": {"kind": "NON_NULL", "isOneOf": null, "ofType": {"kind": "LIST", "isOneOf": null}}},
                {"name": "login", "type": {"kind": "NON_NULL", "isOneOf": null, "ofType": {"kind": "SCALAR", "isOneOf": null}}},
                {"name": "trace", "type": {"kind": "NON_NULL", "isOneOf": null, "ofType": {"kind": "SCALAR", "isOneOf": null}}}
            ]}
        }})
    );
    assert!(
        subgraph.log.all().is_empty(),
        "introspection is the router's"
    );
}

#[tokio::test]
async fn deprecated_arguments_are_listed_only_when_asked_for() {
    let (_subgraph, router) = setup().await;
    let query = r#"query($all: Boolean!) { __type(name: "Query") { fields {
        name args { name } every: args(includeDeprecated: $all) { name isDeprecated deprecationReason }
    } } }"#;
    let (status, body) = router.query(query, json!({"all": true})).await;
    assert_eq!(status, 200, "{body}");
    let live = |name: &str| json!({"name": name, "isDeprecated": false, "deprecationReason": null});
    assert_eq!(
        body,
        json!({"data": {"__type": {"fields": [
            {"name": "product", "args": [{"name": "by"}], "every": [live("by")]},
            {"name": "products", "args": [{"name": "first"}, {"name": "filter"}], "every": [
                live("first"),
                {"name": "limit", "isDeprecated": true, "deprecationReason": "Use `first`."},
                live("filter")
            ]},
            {"name": "login", "args": [{"name": "input"}], "every": [live("input")]},
            {"name": "trace", "args": [{"name": "id"}], "every": [live("id")]}
        ]}}})
    );
}

#[tokio::test]
async fn directives_show_their_locations_and_whether_they_repeat() {
    let (_subgraph, router) = setup().await;
    let (status, body) = router
        .query(
            "{ __schema { directives { name isRepeatable locations args(includeDeprecated: true) { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // The specification does not order directives; compare them by name.
    let mut directives = body["data"]["__schema"]["directives"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    directives.sort_by_key(|d| d["name"].as_str().map(str::to_owned));
    let directive = |name: &str, locations: &[&str], args: Value| json!({"name": name, "isRepeatable": false, "locations": locations, "args": args});
    let cases = ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"];
    assert_eq!(
        Value::Array(directives),
        json!([
            // graphql-js 17 also allows @deprecated on DIRECTIVE_DEFINITION,
            // a location the September 2025 edition does not have.
            directive(
                "deprecated",
                &[
                    "FIELD_DEFINITION",
                    "ARGUMENT_DEFINITION",
                    "INPUT_FIELD_DEFINITION",
                    "ENUM_VALUE"
                ],
                json!([{"name": "reason"}])
            ),
            directive("include", &cases, json!([{"name": "if"}])),
            directive("oneOf", &["INPUT_OBJECT"], json!([])),
            directive("skip", &cases, json!([{"name": "if"}])),
            directive("specifiedBy", &["SCALAR"], json!([{"name": "url"}])),
        ])
    );
}

/// graphql-js 17.1's `getIntrospectionQuery` with every option on (what
/// GraphiQL sends), and graphql-js's answer for the graph's own types.
const FULL_QUERY: &str = include_str!("../fixtures/introspection/query.graphql");
const GRAPHQL_JS_TYPES: &str = include_str!("../fixtures/introspection/inputs-types.json");

#[tokio::test]
async fn the_full_introspection_query_answers_the_graph_types_as_graphql_js_does() {
    let (_subgraph, router) = setup().await;
    let (status, body) = router.query(FULL_QUERY, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let own = [
        "LoginInput",
        "Product",
        "ProductBy",
        "ProductFilter",
        "Query",
        "Uuid",
    ];
    let mut types: Vec<Value> = body["data"]["__schema"]["types"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t["name"].as_str().is_some_and(|n| own.contains(&n)))
        .collect();
    types.sort_by_key(|t| t["name"].as_str().map(str::to_owned));
    let expected: Value = serde_json::from_str(GRAPHQL_JS_TYPES).expect("fixture");
    assert_eq!(Value::Array(types), expected);
}
