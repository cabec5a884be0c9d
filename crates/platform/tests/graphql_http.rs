//! A subgraph's `/graphql` speaks GraphQL over HTTP by the specification:
//! a tiny schema served through `server::graphql_router` on a real socket,
//! asked with hostile and well-formed requests alike.

use std::time::Duration;

use async_graphql::{EmptySubscription, Error, Object, Schema};
use platform::{
    auth::{JwksSource, JwtVerifier, SigningKey},
    db::Db,
    server::{self, MAX_BODY_BYTES},
    testing::{self, TestEngine},
};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

struct Query;

#[Object]
impl Query {
    async fn hello(&self, name: Option<String>) -> String {
        format!("hello {}", name.as_deref().unwrap_or("world"))
    }

    /// Fails while executing: a field error, not a request error.
    async fn broken(&self) -> Result<String, Error> {
        Err(Error::new("broken on purpose"))
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn touch(&self) -> bool {
        true
    }
}

struct Subgraph {
    url: String,
    addr: String,
    client: reqwest::Client,
}

async fn subgraph() -> Subgraph {
    let db = Db::connect(
        &testing::fresh_database_url(TestEngine::Sqlite)
            .await
            .expect("database url"),
    )
    .await
    .expect("database");
    let key = SigningKey::generate().expect("key");
    let verifier = JwtVerifier::new(JwksSource::Static(key.jwks()));
    let schema = Schema::build(Query, Mutation, EmptySubscription).finish();
    let app = server::graphql_router(schema, verifier, db);
    let (listener, port) = server::bind("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind");
    tokio::spawn(server::serve(listener, app, std::future::pending()));
    Subgraph {
        url: format!("http://127.0.0.1:{port}/graphql"),
        addr: format!("127.0.0.1:{port}"),
        client: testing::http_client().expect("client"),
    }
}

/// Status, Content-Type and JSON body of a POST with these headers and body.
async fn post(subgraph: &Subgraph, headers: &[(&str, &str)], body: &str) -> (u16, String, Value) {
    let mut request = subgraph.client.post(&subgraph.url).body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    testing::status_type_and_json(request.send().await.expect("answer")).await
}

const AS_JSON: (&str, &str) = ("content-type", "application/json");

fn error(code: &str, message: &str) -> Value {
    json!({"errors": [{"message": message, "extensions": {"code": code}}]})
}

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

/// Sends `head` (request line and headers) then `chunks` bodies of
/// `chunk` bytes, chunked, while reading the answer; returns its status line
/// and body. The writer stops at the first refused write.
async fn raw_post(subgraph: &Subgraph, head: &str, chunks: usize, chunk: usize) -> (String, Value) {
    let stream = TcpStream::connect(&subgraph.addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let head = head.to_owned();
    let writing = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let piece = format!("{chunk:x}\r\n{}\r\n", " ".repeat(chunk));
        for _ in 0..chunks {
            writer.write_all(piece.as_bytes()).await?;
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buffer = [0u8; 4096];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            if let Some(text) = std::str::from_utf8(&answer).ok()
                && let Some((_, body)) = text.split_once("\r\n\r\n")
                && serde_json::from_str::<Value>(body).is_ok()
            {
                break;
            }
        }
    })
    .await;
    writing.abort();
    assert!(
        read.is_ok(),
        "no answer within 20 s: {}",
        String::from_utf8_lossy(&answer)
    );
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole answer");
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, serde_json::from_str(body).expect("JSON body"))
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_without_being_read() {
    let subgraph = subgraph().await;
    let too_large = error(
        "PAYLOAD_TOO_LARGE",
        &format!("The request body is larger than {MAX_BODY_BYTES} bytes"),
    );
    // A declared 10 MB body is refused before a byte of it is sent.
    let declared = format!(
        "POST /graphql HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n\r\n",
        subgraph.addr,
        10 * 1024 * 1024
    );
    let (status, body) = raw_post(&subgraph, &declared, 0, 0).await;
    assert_eq!(
        (status.as_str(), body),
        ("HTTP/1.1 413 Payload Too Large", too_large.clone())
    );

    // A chunked body of 10 GB (that the test could never buffer) is refused
    // once it passes the limit.
    let chunked = format!(
        "POST /graphql HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\n\r\n",
        subgraph.addr
    );
    let (status, body) = raw_post(&subgraph, &chunked, 160 * 1024, 64 * 1024).await;
    assert_eq!(
        (status.as_str(), body),
        ("HTTP/1.1 413 Payload Too Large", too_large)
    );

    // Up to the limit is fine: a query padded to just under 1 MiB runs.
    let padded = format!(
        r#"{{"query": "{{ hello }}", "pad": "{}"}}"#,
        " ".repeat(MAX_BODY_BYTES - 64)
    );
    assert_eq!(
        post(&subgraph, &[AS_JSON], &padded).await,
        (
            200,
            JSON.to_owned(),
            json!({"data": {"hello": "hello world"}})
        )
    );
}
