//! `POST /graphql` on a subgraph, by the GraphQL-over-HTTP specification:
//! the answer in the media type the client accepts, a JSON body of at most
//! [`MAX_BODY_BYTES`], parameters of the right types, and request errors
//! (parse, validation) as 400 without `data`.
//!
//! The body is read here rather than by async-graphql-axum's extractor: that
//! one streams the whole body whatever its size (it bypasses axum's
//! `DefaultBodyLimit`), takes any content type, multipart included, and
//! answers every request error with 200.

use std::net::SocketAddr;

use async_graphql::{ObjectType, SubscriptionType, Variables};
use async_graphql_axum::GraphQLResponse;
use axum::{
    Extension,
    body::Body,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{ClientAddress, GraphqlState, MAX_BODY_BYTES, authenticate};
use crate::{
    gql::ErrorCode,
    graphql_http::{self, Refusal, RequestParams, ResponseMedia, check_content_type, read_body},
};

pub(super) async fn graphql_post<Q, M, S>(
    State(state): State<GraphqlState<Q, M, S>>,
    // Absent when a test drives the router without a socket.
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let media = match ResponseMedia::negotiate(&headers) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(ResponseMedia::Json),
    };
    let client = ClientAddress::of(&headers, peer.map(|p| p.0.0));
    match request(&state, &headers, body).await {
        Ok(request) => respond(media, state.schema.execute(request.data(client)).await),
        Err(refusal) => refusal.into_response(media),
    }
}

/// The async-graphql request a well-formed POST carries, with the caller
/// its bearer token names.
async fn request<Q, M, S>(
    state: &GraphqlState<Q, M, S>,
    headers: &HeaderMap,
    body: Body,
) -> Result<async_graphql::Request, Refusal> {
    check_content_type(headers)?;
    let params = RequestParams::from_json(&read_body(body, MAX_BODY_BYTES).await?)?;
    let Some(query) = params.query else {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "GRAPHQL_PARSE_FAILED",
            "Must provide a query string",
        ));
    };
    let mut request = async_graphql::Request::new(query);
    request.operation_name = params.operation_name;
    if let Some(variables) = params.variables {
        request.variables = Variables::from_json(variables);
    }
    if let Some(extensions) = params.extensions {
        request.extensions = serde_json::from_value(extensions)
            .map_err(|e| Refusal::bad_request(format!("`extensions` is malformed: {e}")))?;
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match authenticate(&state.verifier, authorization).await {
        Ok(Some(viewer)) => Ok(request.data(viewer)),
        Ok(None) => Ok(request),
        Err(error) => Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated.as_str(),
            error.to_string(),
        )),
    }
}

/// The executed request's answer in `media`.
fn respond(media: ResponseMedia, response: async_graphql::Response) -> Response {
    if is_request_error(&response) {
        // Execution never started: the GraphQL spec has no `data` entry
        // then, and GraphQL over HTTP a 400.
        let mut body = serde_json::to_value(&response).unwrap_or_default();
        if let Some(body) = body.as_object_mut() {
            body.remove("data");
        }
        return graphql_http::response(media, StatusCode::BAD_REQUEST, false, body.to_string());
    }
    // async-graphql-axum's response keeps the Cache-Control the schema
    // computed (the router's entity cache reads it) and the headers
    // resolvers set; it always says application/graphql-response+json.
    let mut http = GraphQLResponse::from(response).into_response();
    http.headers_mut()
        .insert(header::CONTENT_TYPE, media.content_type());
    http
}

/// Whether async-graphql refused the request before executing it (parse,
/// validation, variables, limits, unknown operation): it then answers with
/// `data: null` and errors that point at no field. An execution error
/// always carries the path of its field, even one that nulls the root.
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}
