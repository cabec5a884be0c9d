//! GraphQL over HTTP by the specification: the response media type follows
//! `Accept`, `application/graphql-response+json` gets that media type's
//! status codes, POST bodies must be declared JSON in UTF-8, and request
//! parameters must have their types. Exact status, Content-Type and body.

use platform::testing;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::{TestRouter, TestSubgraphs};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";
const ACCEPT_GRAPHQL: (&str, &str) = ("accept", "application/graphql-response+json");
const AS_JSON: (&str, &str) = ("content-type", "application/json");

async fn router() -> (TestSubgraphs, TestRouter) {
    let subgraphs = TestSubgraphs::spawn().await;
    let router = TestRouter::for_subgraphs(&subgraphs).await;
    (subgraphs, router)
}

/// The router's answer: status, Content-Type, JSON body.
async fn send(request: RequestBuilder, headers: &[(&str, &str)]) -> (u16, String, Value) {
    let mut request = request;
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    testing::status_type_and_json(request.send().await.expect("router answers")).await
}

async fn post(router: &TestRouter, headers: &[(&str, &str)], body: &str) -> (u16, String, Value) {
    send(
        router
            .client
            .post(router.graphql_url())
            .body(body.to_owned()),
        headers,
    )
    .await
}

async fn get(
    router: &TestRouter,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> (u16, String, Value) {
    send(
        router.client.get(router.graphql_url()).query(query),
        headers,
    )
    .await
}

fn error(code: &str, message: &str) -> Value {
    json!({"errors": [{"message": message, "extensions": {"code": code}}]})
}

const USERS: &str = r#"{"query": "{ users { id } }"}"#;

fn users() -> Value {
    json!({"data": {"users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}})
}

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
