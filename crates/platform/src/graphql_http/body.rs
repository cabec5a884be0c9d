//! Reading a request body up to a limit, without holding more than the limit.

use axum::{
    body::{Body, Bytes, HttpBody, to_bytes},
    http::StatusCode,
};

use http_body_util::LengthLimitError;

use super::Refusal;

/// The body, or a 413 as soon as it is known to be larger than `limit`
/// bytes: at once from its declared length, else once reading passes the
/// limit (the rest is never read).
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("The request body is larger than {limit} bytes"),
        )
    };
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    to_bytes(body, limit).await.map_err(|e| {
        if std::error::Error::source(&e).is_some_and(|s| s.is::<LengthLimitError>()) {
            too_large()
        } else {
            Refusal::bad_request(format!("The request body could not be read: {e}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use futures::stream;

    use super::*;

    #[tokio::test]
    async fn bodies_up_to_the_limit_are_read_and_longer_ones_refused() {
        let read = |body: Body| read_body(body, 8);
        assert_eq!(read(Body::from("12345678")).await.unwrap(), "12345678");
        assert_eq!(
            read(Body::from("123456789")).await.unwrap_err().status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        // Without a declared length: refused once the chunks pass the limit.
        let chunks = stream::iter(["1234", "5678", "9"].map(Ok::<_, std::io::Error>));
        assert_eq!(
            read(Body::from_stream(chunks)).await.unwrap_err().status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let broken = stream::iter([Err::<&str, _>(std::io::Error::other("reset"))]);
        assert_eq!(
            read(Body::from_stream(broken)).await.unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
