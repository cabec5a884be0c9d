//! GraphQL over HTTP as the GraphQL-over-HTTP specification words it, shared
//! by the router and every subgraph: which media type to answer in (`Accept`),
//! which request bodies to take (`Content-Type`, size), what a well-formed
//! request's parameters are, and the status a refusal gets.

mod body;
mod media;
mod params;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

pub use body::read_body;
pub use media::{ResponseMedia, check_content_type};
pub use params::RequestParams;

/// A request refused before it reaches GraphQL execution: the HTTP status,
/// a stable `extensions.code` and a message safe to show the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// The GraphQL response for it: a request error, so no `data` entry.
    pub fn body(&self) -> Value {
        json!({ "errors": [{ "message": self.message, "extensions": { "code": self.code } }] })
    }

    /// The whole HTTP response, in `media`.
    pub fn into_response(self, media: ResponseMedia) -> Response {
        response(media, self.status, false, self.body().to_string())
    }
}

/// A GraphQL response body (JSON text) sent in `media` with `status`, under
/// the status rule of that media type ([`ResponseMedia::status`]) given
/// whether the body has `data`.
pub fn response(
    media: ResponseMedia,
    status: StatusCode,
    has_data: bool,
    json: String,
) -> Response {
    let status = media.status(status, has_data);
    let mut response = (status, json).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    if status == StatusCode::METHOD_NOT_ALLOWED {
        // RFC 9110 requires `Allow` on a 405; ours are mutations sent with
        // GET, which only POST may run.
        headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}
