//! Which errors are request errors (400, no data) and which are field
//! errors (200, with data), and parameters of the wrong type.

use serde_json::json;

use crate::{AS_JSON, GRAPHQL_RESPONSE_JSON, JSON, error, post, subgraph};

#[tokio::test]
async fn request_errors_are_400_without_data_and_field_errors_200_with_it() {
    let subgraph = subgraph().await;
    for (accept, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json", JSON),
    ] {
        let headers = [AS_JSON, ("accept", accept)];
        let (status, got_type, body) = post(&subgraph, &headers, r#"{"query": "{ hello"}"#).await;
        assert_eq!((status, got_type.as_str()), (400, content_type), "{body}");
        assert_eq!(body.get("data"), None, "{body}");
        assert_eq!(
            body["errors"][0]["locations"],
            json!([{"line": 1, "column": 8}])
        );

        assert_eq!(
            post(&subgraph, &headers, r#"{"query": "{ nope }"}"#).await,
            (
                400,
                content_type.to_owned(),
                json!({"errors": [{"message": "Unknown field \"nope\" on type \"Query\".",
                    "locations": [{"line": 1, "column": 3}]}]})
            )
        );
        assert_eq!(
            post(
                &subgraph,
                &headers,
                r#"{"query": "query Q($n: String!) { hello(name: $n) }", "variables": {"n": 7}}"#
            )
            .await
            .0,
            400
        );
        assert_eq!(
            post(
                &subgraph,
                &headers,
                r#"{"query": "query A { hello } query B { hello }", "operationName": "C"}"#
            )
            .await,
            (
                400,
                content_type.to_owned(),
                json!({"errors": [{"message": "Unknown operation named \"C\""}]})
            )
        );
        // Execution ran: a field error is a partial response, 200.
        assert_eq!(
            post(&subgraph, &headers, r#"{"query": "{ broken }"}"#).await,
            (
                200,
                content_type.to_owned(),
                json!({"data": null, "errors": [{"message": "broken on purpose",
                    "locations": [{"line": 1, "column": 3}], "path": ["broken"]}]})
            )
        );
    }
}

#[tokio::test]
async fn parameters_of_the_wrong_type_are_400() {
    let subgraph = subgraph().await;
    let headers = [AS_JSON, ("accept", "application/graphql-response+json")];
    let bad_request = |message: &str| {
        (
            400,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            error("BAD_REQUEST", message),
        )
    };
    for (body, message) in [
        (r#"{"query": 1}"#, "`query` must be a string, not a number"),
        (
            r#"{"query": "{ hello }", "variables": "{}"}"#,
            "`variables` must be an object, not a string",
        ),
        (
            r#"{"query": "{ hello }", "variables": [7]}"#,
            "`variables` must be an object, not an array",
        ),
        (
            r#"{"query": "{ hello }", "extensions": 0}"#,
            "`extensions` must be an object, not a number",
        ),
        (
            r#"{"query": "{ hello }", "operationName": false}"#,
            "`operationName` must be a string, not a boolean",
        ),
        (
            r#"[{"query": "{ hello }"}]"#,
            "The request body must be a JSON object with a `query` string",
        ),
    ] {
        assert_eq!(
            post(&subgraph, &headers, body).await,
            bad_request(message),
            "{body}"
        );
    }
    let (status, _, body) = post(&subgraph, &headers, r#"{"query": "#).await;
    assert_eq!(status, 400);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("The request body is not valid JSON")),
        "{body}"
    );
    assert_eq!(
        post(&subgraph, &headers, r#"{"qeury": "{ hello }"}"#).await,
        (
            400,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            error("GRAPHQL_PARSE_FAILED", "Must provide a query string")
        )
    );
    assert_eq!(
        post(
            &subgraph,
            &[AS_JSON, ("authorization", "Bearer not-a-token")],
            r#"{"query": "{ hello }"}"#
        )
        .await
        .0,
        401
    );
}
