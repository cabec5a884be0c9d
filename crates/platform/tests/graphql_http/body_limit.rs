//! The body size limit, enforced before the body is read.

use std::time::Duration;

use platform::server::MAX_BODY_BYTES;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{AS_JSON, JSON, Subgraph, error, post, subgraph};

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
