//! Validation and variable coercion answer what the specification's rules
//! say: one request error per violation, with its `locations`, worded as
//! graphql-js 17 (the reference implementation) words it, and nothing sent
//! to a subgraph. The expected bodies were checked against graphql-js 17.1
//! executing the same API schema; where apollo-compiler's wording (the one
//! Apollo Router sends) differs, the comment says so.

use serde_json::{Value, json};

use crate::inputs_subgraph::setup;

fn error(message: &str, line: u64, column: u64, code: &str) -> Value {
    json!({
        "message": message,
        "locations": [{"line": line, "column": column}],
        "extensions": {"code": code}
    })
}

fn invalid(message: &str, line: u64, column: u64) -> Value {
    error(message, line, column, "GRAPHQL_VALIDATION_FAILED")
}

fn bad_input(message: &str, column: u64) -> Value {
    error(message, 1, column, "BAD_USER_INPUT")
}

const ONE_OF: &str = "Within OneOf Input Object type \"ProductBy\", exactly one field must be specified, and the value for that field must be non-null.";

#[tokio::test]
async fn an_unknown_field_is_one_error_not_two() {
    let (subgraph, router) = setup().await;
    let (status, body) = router
        .query("{ product(by: {id: \"1\"}) { nope } }", json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    // graphql-js adds a suggestion (` Did you mean "name"?`); apollo-compiler
    // does not make suggestions.
    assert_eq!(
        body,
        json!({"errors": [invalid("Cannot query field \"nope\" on type \"Product\".", 1, 28)]})
    );

    let (status, body) = router
        .query(
            "{ product(by: {id: \"1\"}) { nope name { x } } nothing }",
            json!({}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"errors": [
            invalid("Cannot query field \"nope\" on type \"Product\".", 1, 28),
            // graphql-js points at the selection set (column 38).
            invalid("Field \"name\" must not have a selection since type \"String!\" has no subfields.", 1, 33),
            invalid("Cannot query field \"nothing\" on type \"Query\".", 1, 46),
        ]})
    );
    assert!(subgraph.log.all().is_empty());
}

#[tokio::test]
async fn leaf_field_selection_errors_name_the_field_type() {
    let (_subgraph, router) = setup().await;
    let (status, body) = router
        .query("{ product(by: {id: \"1\"}) }", json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"errors": [invalid(
            "Field \"product\" of type \"Product\" must have a selection of subfields. Did you mean \"product { ... }\"?",
            1,
            3
        )]})
    );
    let (_, body) = router
        .query("{ product(by: {id: \"1\"}) { id { x } } }", json!({}))
        .await;
    assert_eq!(
        body,
        json!({"errors": [invalid(
            "Field \"id\" must not have a selection since type \"ID!\" has no subfields.",
            1,
            28
        )]})
    );
}

#[tokio::test]
async fn each_bad_variable_is_an_error_at_its_definition() {
    let (subgraph, router) = setup().await;
    let pages =
        "query($a: Int!, $b: Int!) { a: products(first: $a) { id } b: products(first: $b) { id } }";
    let cases = [
        (
            pages,
            json!({"a": "x", "b": 2}),
            vec![bad_input(
                "Variable \"$a\" has invalid value: Int cannot represent non-integer value: \"x\"",
                7,
            )],
        ),
        (
            pages,
            json!({"b": 3_000_000_000_u64}),
            vec![
                bad_input(
                    "Variable \"$a\" has invalid value: Expected a value of non-null type \"Int!\" to be provided.",
                    7,
                ),
                bad_input(
                    "Variable \"$b\" has invalid value: Int cannot represent non 32-bit signed integer value: 3000000000",
                    17,
                ),
            ],
        ),
        (
            pages,
            json!({"a": null, "b": 1}),
            vec![bad_input(
                "Variable \"$a\" has invalid value: Expected value of non-null type \"Int!\" not to be null.",
                7,
            )],
        ),
        (
            "query($i: LoginInput!) { login(input: $i) }",
            json!({"i": {"email": "a", "password": 12345}}),
            vec![bad_input(
                "Variable \"$i\" has invalid value at .password: String cannot represent a non string value: 12345",
                7,
            )],
        ),
        (
            "query($i: LoginInput!) { login(input: $i) }",
            json!({"i": {"email": "a"}}),
            vec![bad_input(
                "Variable \"$i\" has invalid value: Expected value of type \"LoginInput\" to include required field \"password\", found: { email: \"a\" }.",
                7,
            )],
        ),
        (
            "query($i: LoginInput!) { login(input: $i) }",
            json!({"i": {"email": "a", "password": "p", "x": 1}}),
            vec![bad_input(
                "Variable \"$i\" has invalid value: Expected value of type \"LoginInput\" not to include unknown field \"x\", found: { email: \"a\", password: \"p\", x: 1 }.",
                7,
            )],
        ),
    ];
    for (query, variables, errors) in cases {
        let (status, body) = router.query(query, variables.clone()).await;
        assert_eq!(status, 400, "{variables}: {body}");
        assert_eq!(body, json!({ "errors": errors }), "{variables}");
    }
    assert!(subgraph.log.all().is_empty());

    let (status, body) = router.query(pages, json!({"a": 1, "b": 2})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"a": [{"id": "1"}], "b": [{"id": "1"}, {"id": "2"}]}})
    );
}

#[tokio::test]
async fn a_one_of_literal_names_exactly_one_non_null_field() {
    let (subgraph, router) = setup().await;
    for literal in ["{id: \"1\", upc: \"p1\"}", "{id: null}", "{}"] {
        let (status, body) = router
            .query(&format!("{{ product(by: {literal}) {{ id }} }}"), json!({}))
            .await;
        assert_eq!(status, 400, "{literal}: {body}");
        assert_eq!(
            body,
            json!({"errors": [invalid(ONE_OF, 1, 15)]}),
            "{literal}"
        );
    }
    assert!(subgraph.log.all().is_empty());
    let (status, body) = router
        .query("{ product(by: {upc: \"p2\"}) { id name } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"product": {"id": "2", "name": "Couch"}}})
    );
}

#[tokio::test]
async fn a_one_of_variable_has_exactly_one_non_null_field() {
    let (subgraph, router) = setup().await;
    let query = "query($by: ProductBy!) { product(by: $by) { name } }";
    let cases = [
        (json!({"id": "1", "upc": "p1"}), ""),
        (json!({"upc": null}), " at .upc"),
        (json!({}), ""),
    ];
    for (by, at) in cases {
        let (status, body) = router.query(query, json!({ "by": by })).await;
        assert_eq!(status, 400, "{by}: {body}");
        let message = format!("Variable \"$by\" has invalid value{at}: {ONE_OF}");
        assert_eq!(body, json!({"errors": [bad_input(&message, 7)]}), "{by}");
    }
    assert!(subgraph.log.all().is_empty());
    let (status, body) = router.query(query, json!({"by": {"id": "3"}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"data": {"product": {"name": "Chair"}}}));
}

#[tokio::test]
async fn a_variable_in_a_one_of_literal_must_bring_a_value() {
    let (subgraph, router) = setup().await;
    let query = "query($id: ID) { product(by: {id: $id}) { name } }";
    for (variables, problem) in [
        (json!({}), "to provide a runtime value"),
        (json!({"id": null}), "not to be null"),
    ] {
        let (status, body) = router.query(query, variables.clone()).await;
        assert_eq!(status, 400, "{variables}: {body}");
        let message = format!(
            "Argument \"Query.product(by:)\" has invalid value: Expected variable \"$id\" provided to field \"id\" for OneOf Input Object type \"ProductBy\" {problem}."
        );
        assert_eq!(
            body,
            json!({"errors": [bad_input(&message, 30)]}),
            "{variables}"
        );
    }
    assert!(subgraph.log.all().is_empty());
    let (status, body) = router.query(query, json!({"id": "1"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"data": {"product": {"name": "Table"}}}));
}
