//! Content negotiation: the media type answered, and request bodies that
//! must be declared JSON in UTF-8.

use serde_json::json;

use crate::{AS_JSON, GRAPHQL_RESPONSE_JSON, JSON, error, post, subgraph};

#[tokio::test]
async fn answers_in_the_media_type_the_client_accepts() {
    let subgraph = subgraph().await;
    let query = r#"{"query": "{ hello }"}"#;
    let hello = json!({"data": {"hello": "hello world"}});
    for (accept, content_type) in [
        (
            Some("application/graphql-response+json"),
            GRAPHQL_RESPONSE_JSON,
        ),
        (Some("application/json"), JSON),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE_JSON,
        ),
        (
            Some("application/json, application/graphql-response+json;q=0.5"),
            JSON,
        ),
        (Some("*/*"), JSON),
        (None, JSON),
    ] {
        let mut headers = vec![AS_JSON];
        headers.extend(accept.map(|a| ("accept", a)));
        assert_eq!(
            post(&subgraph, &headers, query).await,
            (200, content_type.to_owned(), hello.clone()),
            "Accept: {accept:?}"
        );
    }
    for accept in [
        "text/html",
        "application/xml, text/*",
        "application/json;q=0",
    ] {
        assert_eq!(
            post(&subgraph, &[AS_JSON, ("accept", accept)], query).await,
            (
                406,
                JSON.to_owned(),
                error(
                    "NOT_ACCEPTABLE",
                    "The Accept header allows neither application/graphql-response+json nor \
                     application/json"
                )
            ),
            "Accept: {accept}"
        );
    }
}

#[tokio::test]
async fn post_bodies_must_be_declared_json_in_utf8() {
    let subgraph = subgraph().await;
    let query = r#"{"query": "mutation { touch }"}"#;
    let unsupported = |message: &str| {
        (
            415,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            error("UNSUPPORTED_MEDIA_TYPE", message),
        )
    };
    let accept = ("accept", "application/graphql-response+json");
    assert_eq!(
        post(&subgraph, &[accept], query).await,
        unsupported("Send GraphQL requests as application/json, with one Content-Type header")
    );
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/graphql",
    ] {
        assert_eq!(
            post(&subgraph, &[accept, ("content-type", content_type)], query).await,
            unsupported("Send GraphQL requests as application/json"),
            "{content_type}"
        );
    }
    assert_eq!(
        post(
            &subgraph,
            &[
                accept,
                ("content-type", "application/json; charset=iso-8859-1")
            ],
            query
        )
        .await,
        unsupported("The charset iso-8859-1 is not supported: send GraphQL requests in utf-8")
    );
    assert_eq!(
        post(
            &subgraph,
            &[accept, ("content-type", "application/json; charset=UTF-8")],
            query
        )
        .await,
        (
            200,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            json!({"data": {"touch": true}})
        )
    );
}
