//! Rate limits in the request path: a request is charged once the
//! pipeline has prepared it (its operation picks the classes) and before
//! anything runs; a limited one is answered 429 `RATE_LIMITED` with the
//! seconds to wait, in the body and in `Retry-After`.

use std::net::IpAddr;

use apollo_compiler::ExecutableDocument;
use axum::http::{HeaderValue, StatusCode};
use platform::auth::Viewer;
use serde_json::json;

use super::{
    pipeline::{Outcome, Prepared, ResponseBody},
    runtime::Runtime,
};
use crate::{
    edge::rate_limit::{self, Limited},
    response::GraphQLError,
};

/// Charges the request whose preparation gave `prepared` (a refused one
/// to the default class) and hands `prepared` back, or the 429 when the
/// caller is over a limit.
pub(crate) async fn admit(
    runtime: &Runtime,
    prepared: Result<Prepared, Outcome>,
    viewer: Option<&Viewer>,
    ip: Option<IpAddr>,
) -> Result<Prepared, Outcome> {
    if let Some(limiter) = &runtime.rate_limiter {
        let operation = prepared.as_ref().ok().map(|prepared| {
            let document: &ExecutableDocument = &prepared.document;
            (document, &*prepared.operation)
        });
        rate_limit::admit(limiter, operation, viewer, ip)
            .await
            .map_err(|limited| outcome(&limited))?;
    }
    prepared
}

fn outcome(limited: &Limited) -> Outcome {
    Outcome::request_error(
        StatusCode::TOO_MANY_REQUESTS,
        vec![
            GraphQLError::new(format!(
                "Too many {} requests; retry in {} s",
                limited.class, limited.retry_after
            ))
            .with_code("RATE_LIMITED")
            .with_extension("retryAfter", json!(limited.retry_after)),
        ],
    )
}

/// The `Retry-After` header of a `RATE_LIMITED` answer.
pub(crate) fn retry_after(outcome: &Outcome) -> Option<HeaderValue> {
    if outcome.status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let ResponseBody::Value(body) = &outcome.body else {
        return None;
    };
    let seconds = body["errors"][0]["extensions"]["retryAfter"].as_u64()?;
    HeaderValue::from_str(&seconds.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_request_is_a_429_naming_its_class_and_when_to_retry() {
        let limited = Limited {
            class: "browse".into(),
            retry_after: 3,
        };
        let outcome = outcome(&limited);
        assert_eq!(outcome.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry_after(&outcome), Some(HeaderValue::from_static("3")));
        let ResponseBody::Value(body) = &outcome.body else {
            panic!("a request error has a JSON body");
        };
        assert_eq!(
            body["errors"][0]["message"],
            "Too many browse requests; retry in 3 s"
        );
        assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    }
}
