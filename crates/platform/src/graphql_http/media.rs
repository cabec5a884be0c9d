//! Media types: the response's, negotiated from `Accept`, and the request
//! body's, checked from `Content-Type`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use mediatype::{
    MediaType, MediaTypeList, ReadParams,
    names::{_STAR, APPLICATION, CHARSET, JSON, Q},
};

use super::Refusal;

/// The media type a GraphQL response is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMedia {
    /// `application/graphql-response+json`: the specification's own type,
    /// whose status codes a client can trust (a request error is a 4xx).
    GraphQLResponseJson,
    /// `application/json`: the legacy type every client understands.
    Json,
}

/// How closely an `Accept` range named a media type (RFC 9110 §12.5.1: the
/// most specific range decides a type's quality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    AnyType,
    AnySubtype,
    Exact,
}

/// A media type's standing in an `Accept` header: its quality in
/// thousandths (as RFC 9110 writes it, three decimals at most) and the
/// range that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Standing {
    quality: u16,
    specificity: Specificity,
}

impl ResponseMedia {
    /// The media type to answer in, or a 406 when the client accepts
    /// neither.
    ///
    /// The higher quality wins; on equal quality the more specific range.
    /// When both are named with the same quality the client lists the
    /// specification's type deliberately, so it wins; when only wildcards
    /// (`*/*`, `application/*`) cover both, `application/json` does, since
    /// such clients are usually not GraphQL-aware (graphql-http's audit,
    /// Apollo Router and Apollo Server do the same). Without an `Accept`
    /// header the request is a legacy one and gets `application/json`: the
    /// specification's pre-2025 rule, which its audit still checks; the
    /// 2025 text would pick `application/graphql-response+json`, but that
    /// changes nothing a legacy client could ask for.
    pub fn negotiate(headers: &HeaderMap) -> Result<Self, Refusal> {
        let values: Vec<&HeaderValue> = headers.get_all(header::ACCEPT).iter().collect();
        if values.iter().all(|v| v.as_bytes().trim_ascii().is_empty()) {
            return Ok(Self::Json);
        }
        let mut graphql = None;
        let mut json = None;
        let ranges = values
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(MediaTypeList::new)
            .filter_map(Result::ok);
        for range in ranges {
            let Some(quality) = quality(&range) else {
                continue;
            };
            for (media, best) in [
                (Self::GraphQLResponseJson, &mut graphql),
                (Self::Json, &mut json),
            ] {
                if let Some(specificity) = media.matched_by(&range) {
                    let standing = Standing {
                        quality,
                        specificity,
                    };
                    // The most specific range decides, whatever its quality.
                    if best.is_none_or(|b: Standing| specificity > b.specificity) {
                        *best = Some(standing);
                    }
                }
            }
        }
        let acceptable = |s: Option<Standing>| s.filter(|s| s.quality > 0);
        match (acceptable(graphql), acceptable(json)) {
            (None, None) => Err(Refusal::new(
                StatusCode::NOT_ACCEPTABLE,
                "NOT_ACCEPTABLE",
                "The Accept header allows neither application/graphql-response+json nor \
                 application/json",
            )),
            (Some(_), None) => Ok(Self::GraphQLResponseJson),
            (None, Some(_)) => Ok(Self::Json),
            (Some(g), Some(j)) => {
                let rank = |s: Standing| (s.quality, s.specificity);
                if rank(g) > rank(j) || (rank(g) == rank(j) && g.specificity == Specificity::Exact)
                {
                    Ok(Self::GraphQLResponseJson)
                } else {
                    Ok(Self::Json)
                }
            }
        }
    }

    /// How specifically `range` names this media type, if it covers it.
    fn matched_by(self, range: &MediaType) -> Option<Specificity> {
        // Responses are only ever UTF-8: a range asking another charset
        // does not cover them.
        if range
            .get_param(CHARSET)
            .is_some_and(|c| !c.unquoted_str().eq_ignore_ascii_case("utf-8"))
        {
            return None;
        }
        if range.ty == _STAR && range.subty == _STAR {
            return Some(Specificity::AnyType);
        }
        if range.ty != APPLICATION {
            return None;
        }
        if range.subty == _STAR && range.suffix.is_none() {
            return Some(Specificity::AnySubtype);
        }
        let exact = match self {
            Self::GraphQLResponseJson => {
                range.subty == "graphql-response" && range.suffix == Some(JSON)
            }
            Self::Json => range.subty == JSON && range.suffix.is_none(),
        };
        exact.then_some(Specificity::Exact)
    }

    /// The `Content-Type` of a response in this media type.
    pub fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQLResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }

    /// The HTTP status of a GraphQL response whose own status is `status`.
    ///
    /// Under `application/graphql-response+json` a response without `data`
    /// MUST NOT be a 2xx (the one such response is the APQ "not found",
    /// which Apollo clients also recognise under 400).
    ///
    /// Under `application/json` the specification asks (SHOULD) for 200
    /// even for parse, validation and variable-coercion failures, because an
    /// `application/json` client cannot tell a 4xx of ours from a proxy's.
    /// We keep the 4xx there: Apollo Router and Apollo Server answer those
    /// failures with 400 under `application/json` too, clients and
    /// dashboards in the field count them as client errors, and the
    /// specification explicitly allows it for legacy servers. A client that
    /// wants to trust the status asks for `application/graphql-response+json`.
    pub fn status(self, status: StatusCode, has_data: bool) -> StatusCode {
        match self {
            Self::GraphQLResponseJson if !has_data && status.is_success() => {
                StatusCode::BAD_REQUEST
            }
            _ => status,
        }
    }
}

/// A range's quality in thousandths; `None` when its `q` is not a valid
/// qvalue (`0`–`1`, three decimals at most), which makes it no range at all.
fn quality(range: &MediaType) -> Option<u16> {
    let Some(q) = range.get_param(Q) else {
        return Some(1000);
    };
    let q = q.unquoted_str();
    let (whole, fraction) = q.split_once('.').unwrap_or((&q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Checks that a POST body is declared `application/json` in UTF-8, the one
/// request media type the specification requires and the only one we take.
///
/// Refusing `text/plain`, form and multipart bodies is also what keeps a
/// cross-site form from running a mutation: browsers send those without a
/// CORS preflight (CSRF). A missing or unparsable `Content-Type` is refused
/// too (the specification's SHOULD), rather than guessed.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let unsupported = |message: String| {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            message,
        )
    };
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(unsupported(
            "Send GraphQL requests as application/json, with one Content-Type header".into(),
        ));
    };
    let media = value.to_str().ok().and_then(|v| MediaType::parse(v).ok());
    match media {
        Some(m) if m.ty == APPLICATION && m.subty == JSON && m.suffix.is_none() => {
            match m.get_param(CHARSET) {
                Some(charset) if !charset.unquoted_str().eq_ignore_ascii_case("utf-8") => {
                    Err(unsupported(format!(
                        "The charset {charset} is not supported: send GraphQL requests in utf-8"
                    )))
                }
                _ => Ok(()),
            }
        }
        _ => Err(unsupported(
            "Send GraphQL requests as application/json".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiate(accept: &[&str]) -> Result<ResponseMedia, StatusCode> {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        ResponseMedia::negotiate(&headers).map_err(|r| r.status)
    }

    use ResponseMedia::{GraphQLResponseJson as Gql, Json};

    #[test]
    fn accept_picks_the_specifications_rules() {
        let cases: &[(&[&str], Result<ResponseMedia, StatusCode>)] = &[
            (&[], Ok(Json)),
            (&[""], Ok(Json)),
            (&["application/graphql-response+json"], Ok(Gql)),
            (&["application/json"], Ok(Json)),
            (&["*/*"], Ok(Json)),
            (&["application/*"], Ok(Json)),
            (
                &[
                    "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
                ],
                Ok(Gql),
            ),
            (
                &["application/json, application/graphql-response+json"],
                Ok(Gql),
            ),
            (
                &["application/json", "application/graphql-response+json"],
                Ok(Gql),
            ),
            (
                &["application/graphql-response+json;q=0.9, application/json"],
                Ok(Json),
            ),
            (&["application/json;q=0.5, */*"], Ok(Gql)),
            (&["application/graphql-response+json, */*;q=0.1"], Ok(Gql)),
            (&["application/json, */*"], Ok(Json)),
            (
                &["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"],
                Ok(Json),
            ),
            (&["APPLICATION/GRAPHQL-RESPONSE+JSON"], Ok(Gql)),
            // q=0 means "not acceptable", even under a wildcard.
            (&["application/json;q=0, */*"], Ok(Gql)),
            (
                &["application/json;q=0, application/graphql-response+json;q=0, */*"],
                Err(StatusCode::NOT_ACCEPTABLE),
            ),
            (&["text/html"], Err(StatusCode::NOT_ACCEPTABLE)),
            (
                &["application/xml, text/*"],
                Err(StatusCode::NOT_ACCEPTABLE),
            ),
            (
                &["application/json; charset=latin1"],
                Err(StatusCode::NOT_ACCEPTABLE),
            ),
            (&["garbage"], Err(StatusCode::NOT_ACCEPTABLE)),
            // An invalid qvalue spoils only its own range.
            (
                &["application/json;q=2, application/graphql-response+json"],
                Ok(Gql),
            ),
            (&["application/json;q=abc"], Err(StatusCode::NOT_ACCEPTABLE)),
            (
                &["application/json;q=0.0001"],
                Err(StatusCode::NOT_ACCEPTABLE),
            ),
            (&["application/json;q=1.000"], Ok(Json)),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(accept), *expected, "Accept: {accept:?}");
        }
    }

    #[test]
    fn only_utf8_json_request_bodies_are_taken() {
        let check = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
            }
            check_content_type(&headers).map_err(|r| r.status)
        };
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON; charset=\"UTF-8\"",
        ] {
            assert_eq!(check(&[ok]), Ok(()), "{ok}");
        }
        for refused in [
            &[][..],
            &["text/plain"],
            &["application/x-www-form-urlencoded"],
            &["multipart/form-data; boundary=x"],
            &["application/graphql"],
            &["application/json; charset=latin1"],
            &["application/graphql-response+json"],
            &["not a media type"],
            &["application/json", "text/plain"],
        ] {
            assert_eq!(
                check(refused),
                Err(StatusCode::UNSUPPORTED_MEDIA_TYPE),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn graphql_response_json_never_sends_a_2xx_without_data() {
        assert_eq!(Gql.status(StatusCode::OK, false), StatusCode::BAD_REQUEST);
        assert_eq!(Gql.status(StatusCode::OK, true), StatusCode::OK);
        assert_eq!(
            Gql.status(StatusCode::UNAUTHORIZED, false),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(Json.status(StatusCode::OK, false), StatusCode::OK);
        assert_eq!(
            Json.status(StatusCode::BAD_REQUEST, false),
            StatusCode::BAD_REQUEST
        );
    }
}
