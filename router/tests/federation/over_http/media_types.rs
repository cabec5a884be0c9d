//! The response media type follows `Accept`, and each media type keeps its
//! own status codes.

use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use super::{
    ACCEPT_GRAPHQL, AS_JSON, GRAPHQL_RESPONSE_JSON, JSON, USERS, error, get, post, router, users,
};

#[tokio::test]
async fn the_response_media_type_follows_accept() {
    let (_s, router) = router().await;
    for (accept, content_type) in [
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        (
            "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
            GRAPHQL_RESPONSE_JSON,
        ),
        (
            "application/json, application/graphql-response+json",
            GRAPHQL_RESPONSE_JSON,
        ),
        (
            "application/graphql-response+json;q=0.8, application/json",
            JSON,
        ),
        ("application/json;q=0.1, */*", GRAPHQL_RESPONSE_JSON),
        ("application/json", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            JSON,
        ),
    ] {
        assert_eq!(
            post(&router, &[AS_JSON, ("accept", accept)], USERS).await,
            (200, content_type.to_owned(), users()),
            "Accept: {accept}"
        );
    }
    // Several Accept headers are one list.
    assert_eq!(
        post(
            &router,
            &[AS_JSON, ("accept", "text/html"), ACCEPT_GRAPHQL],
            USERS
        )
        .await,
        (200, GRAPHQL_RESPONSE_JSON.to_owned(), users())
    );
}

#[tokio::test]
async fn a_request_without_accept_is_a_legacy_one_answered_in_json() {
    let (_s, router) = router().await;
    // By hand: reqwest always sends `Accept: */*`.
    let addr = router.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /graphql HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{USERS}",
        USERS.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case(&format!("content-type: {JSON}"))),
        "{head}"
    );
    assert_eq!(serde_json::from_str::<Value>(body).expect("JSON"), users());
}

#[tokio::test]
async fn a_client_accepting_neither_media_type_gets_406_before_anything_runs() {
    let (subgraphs, router) = router().await;
    let not_acceptable = error(
        "NOT_ACCEPTABLE",
        "The Accept header allows neither application/graphql-response+json nor application/json",
    );
    for accept in [
        "text/html",
        "application/xml, text/*",
        "application/json;q=0, application/graphql-response+json;q=0",
        "application/json; charset=iso-8859-1",
        "garbage",
        "application/json;q=7",
        &"a/b, ".repeat(2000),
    ] {
        assert_eq!(
            post(&router, &[AS_JSON, ("accept", accept)], USERS).await,
            (406, JSON.to_owned(), not_acceptable.clone()),
            "Accept: {accept}"
        );
        assert_eq!(
            get(
                &router,
                &[("accept", accept)],
                &[("query", "{ users { id } }")]
            )
            .await,
            (406, JSON.to_owned(), not_acceptable.clone()),
            "GET with Accept: {accept}"
        );
    }
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn graphql_response_json_answers_request_errors_with_400_and_no_data() {
    let (subgraphs, router) = router().await;
    let headers = [AS_JSON, ACCEPT_GRAPHQL];
    let cases = [
        (r#"{"query": "{"}"#, "GRAPHQL_PARSE_FAILED"),
        (r#"{"query": "{ nope }"}"#, "GRAPHQL_VALIDATION_FAILED"),
        (
            r#"{"query": "query($id: ID!) { user(id: $id) { id } }", "variables": {"id": null}}"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{"query": "query A { users { id } } query B { users { id } }", "operationName": "C"}"#,
            "GRAPHQL_UNKNOWN_OPERATION_NAME",
        ),
        (r#"{"query": ""}"#, "GRAPHQL_PARSE_FAILED"),
        (r#"{"qeury": "{ users { id } }"}"#, "GRAPHQL_PARSE_FAILED"),
    ];
    for (body, code) in cases {
        let (status, content_type, answer) = post(&router, &headers, body).await;
        assert_eq!(
            (status, content_type.as_str()),
            (400, GRAPHQL_RESPONSE_JSON),
            "{body}: {answer}"
        );
        assert_eq!(answer.get("data"), None, "{body}: {answer}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], code,
            "{body}: {answer}"
        );
    }
    assert!(subgraphs.accounts.log.all().is_empty());
    // Partial data is still a 200: execution ran.
    assert_eq!(
        post(
            &router,
            &headers,
            r#"{"query": "{ user(id: \"u2\") { name nickname } }"}"#
        )
        .await,
        (
            200,
            GRAPHQL_RESPONSE_JSON.to_owned(),
            json!({"data": {"user": null}, "errors": [{"message": "nickname is unavailable",
                "path": ["user", "nickname"], "extensions": {"serviceName": "accounts"}}]})
        )
    );
}

#[tokio::test]
async fn application_json_keeps_its_statuses_and_graphql_response_json_never_a_2xx_without_data() {
    let (_s, router) = router().await;
    let hash = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38";
    let body =
        json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}}).to_string();
    let not_found = error("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
    // Apollo clients look for exactly this answer, with 200, under
    // application/json; application/graphql-response+json MUST NOT send a
    // 2xx without data.
    assert_eq!(
        post(&router, &[AS_JSON, ("accept", "application/json")], &body).await,
        (200, JSON.to_owned(), not_found.clone())
    );
    assert_eq!(
        post(&router, &[AS_JSON, ACCEPT_GRAPHQL], &body).await,
        (400, GRAPHQL_RESPONSE_JSON.to_owned(), not_found)
    );
    // Validation failures stay 400 under application/json (as Apollo
    // Router answers them).
    let (status, content_type, answer) = post(
        &router,
        &[AS_JSON, ("accept", "application/json")],
        r#"{"query": "{ nope }"}"#,
    )
    .await;
    assert_eq!((status, content_type.as_str()), (400, JSON), "{answer}");
}
