//! What a request must be: a POST body declared JSON in UTF-8, parameters
//! of their types, and no mutation over GET.

use reqwest::Method;
use serde_json::{Value, json};

use super::{
    ACCEPT_GRAPHQL, AS_JSON, GRAPHQL_RESPONSE_JSON, JSON, error, get, post, router, users,
};

#[tokio::test]
async fn post_bodies_must_be_declared_json_in_utf8() {
    let (subgraphs, router) = router().await;
    let mutation = r#"{"query": "mutation { updateName(id: \"u1\", name: \"X\") { name } }"}"#;
    let unsupported = |message: &str| {
        (
            415,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            error("UNSUPPORTED_MEDIA_TYPE", message),
        )
    };
    assert_eq!(
        post(&router, &[ACCEPT_GRAPHQL], mutation).await,
        unsupported("Send GraphQL requests as application/json, with one Content-Type header")
    );
    assert_eq!(
        post(
            &router,
            &[ACCEPT_GRAPHQL, AS_JSON, ("content-type", "text/plain")],
            mutation
        )
        .await,
        unsupported("Send GraphQL requests as application/json, with one Content-Type header")
    );
    for content_type in [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/graphql",
        "application/graphql-response+json",
        "json",
    ] {
        assert_eq!(
            post(
                &router,
                &[ACCEPT_GRAPHQL, ("content-type", content_type)],
                mutation
            )
            .await,
            unsupported("Send GraphQL requests as application/json"),
            "{content_type}"
        );
    }
    assert_eq!(
        post(
            &router,
            &[
                ACCEPT_GRAPHQL,
                ("content-type", "application/json; charset=latin1")
            ],
            mutation
        )
        .await,
        unsupported("The charset latin1 is not supported: send GraphQL requests in utf-8")
    );
    assert!(subgraphs.accounts.log.all().is_empty());
    assert_eq!(
        post(
            &router,
            &[
                ACCEPT_GRAPHQL,
                ("content-type", "application/json; charset=UTF-8")
            ],
            mutation
        )
        .await,
        (
            200,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            json!({"data": {"updateName": {"name": "X"}}})
        )
    );
}

#[tokio::test]
async fn request_parameters_of_the_wrong_type_are_400_with_the_parameter_named() {
    let (subgraphs, router) = router().await;
    for (body, message) in [
        (r#"{"query": 0}"#, "`query` must be a string, not a number"),
        (
            r#"{"query": {"obj": "ect"}}"#,
            "`query` must be a string, not an object",
        ),
        (
            r#"{"query": ["{ users { id } }"]}"#,
            "`query` must be a string, not an array",
        ),
        (
            r#"{"query": "{ users { id } }", "operationName": false}"#,
            "`operationName` must be a string, not a boolean",
        ),
        (
            r#"{"query": "{ users { id } }", "variables": "{}"}"#,
            "`variables` must be an object, not a string",
        ),
        (
            r#"{"query": "{ users { id } }", "variables": [7]}"#,
            "`variables` must be an object, not an array",
        ),
        (
            r#"{"query": "{ users { id } }", "extensions": "string"}"#,
            "`extensions` must be an object, not a string",
        ),
        (
            r#"{"query": "{ users { id } }", "extensions": ["array"]}"#,
            "`extensions` must be an object, not an array",
        ),
        (
            r#"[{"query": "{ users { id } }"}]"#,
            "The request body must be a JSON object with a `query` string",
        ),
        (
            r#"null"#,
            "The request body must be a JSON object with a `query` string",
        ),
    ] {
        for (accept, content_type) in [
            ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
            ("application/json", JSON),
        ] {
            assert_eq!(
                post(&router, &[AS_JSON, ("accept", accept)], body).await,
                (400, content_type.to_owned(), error("BAD_REQUEST", message)),
                "{body} accepting {accept}"
            );
        }
    }
    // null is the same as absent.
    assert_eq!(
        post(
            &router,
            &[AS_JSON, ACCEPT_GRAPHQL],
            r#"{"query": "{ users { id } }", "operationName": null, "variables": null, "extensions": null}"#
        )
        .await,
        (200, GRAPHQL_RESPONSE_JSON.to_owned(), users())
    );
    for query in [
        [("query", "{ users { id } }"), ("variables", "[1]")],
        [("query", "{ users { id } }"), ("extensions", "7")],
    ] {
        let (status, content_type, body) = get(&router, &[ACCEPT_GRAPHQL], &query).await;
        assert_eq!(
            (status, content_type.as_str()),
            (400, GRAPHQL_RESPONSE_JSON),
            "{body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_REQUEST",
            "{body}"
        );
    }
    assert_eq!(subgraphs.accounts.log.all().len(), 1);
}

#[tokio::test]
async fn get_refuses_mutations_with_405_and_allow_post() {
    let (subgraphs, router) = router().await;
    for (accept, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json", JSON),
    ] {
        let response = router
            .client
            .get(router.graphql_url())
            .header("accept", accept)
            .query(&[(
                "query",
                "mutation { updateName(id: \"u1\", name: \"X\") { name } }",
            )])
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 405);
        assert_eq!(response.headers()["allow"], "POST");
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(
            response.json::<Value>().await.expect("json"),
            error(
                "METHOD_NOT_ALLOWED",
                "Only queries can be sent with GET; use POST"
            )
        );
    }
    assert!(subgraphs.accounts.log.all().is_empty());
    // Queries still run over GET, in the negotiated media type.
    assert_eq!(
        get(&router, &[ACCEPT_GRAPHQL], &[("query", "{ users { id } }")]).await,
        (200, GRAPHQL_RESPONSE_JSON.to_owned(), users())
    );
    // Other methods are axum's 405, with its Allow header.
    let response = router
        .client
        .request(Method::PUT, router.graphql_url())
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 405);
    assert!(
        response.headers()["allow"]
            .to_str()
            .unwrap_or_default()
            .contains("POST")
    );
}
