//! One GraphQL request, start to finish: validate, check limits, coerce
//! variables, answer introspection, plan, execute, project.

use std::{net::IpAddr, sync::Arc};

use apollo_compiler::{
    ExecutableDocument, Node, executable::Operation, response::JsonMap, validation::Valid,
};
use hyper::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

pub use super::outcome::{Outcome, ResponseBody};
use super::{
    admission, introspection, one_of,
    runtime::{DocumentError, Runtime},
    variables::{self, Coerced},
};
use platform::auth::Viewer;

use crate::{
    edge::{auth::Filtered, limits},
    execute::{ClientOperation, project},
    plan::{AnswerSize, PlanError, QueryPlan},
    response::GraphQLError,
};

/// A client request, from a POST body or GET query string.
#[derive(Debug, Default, Clone)]
pub struct GraphQLRequest {
    pub query: Option<String>,
    pub operation_name: Option<String>,
    pub variables: Option<Value>,
    /// GET requests may only run queries (no mutation through a link).
    pub is_get: bool,
    /// Headers forwarded to subgraphs.
    pub forwarded_headers: HeaderMap,
    /// The caller, when a valid bearer token came with the request.
    pub viewer: Option<Viewer>,
    /// The request's `extensions` (persisted-query hashes).
    pub extensions: Option<Value>,
}

fn with_code(errors: Vec<GraphQLError>, code: &str) -> Vec<GraphQLError> {
    errors.into_iter().map(|e| e.with_code(code)).collect()
}

/// A request that passed every check before planning.
pub struct Prepared {
    pub document: Arc<Valid<ExecutableDocument>>,
    pub operation: Node<Operation>,
    pub operation_name: Option<String>,
    pub query: String,
    /// Coerced variables (defaults applied), as plain JSON.
    pub variables: Map<String, Value>,
    pub coerced: Valid<JsonMap>,
    pub introspects: bool,
    /// The operation without the fields the caller may not see.
    pub filtered: Option<Filtered>,
}

impl Prepared {
    /// The operation that is planned and fetched.
    pub(crate) fn planned_operation(&self) -> (&ExecutableDocument, &Node<Operation>) {
        match &self.filtered {
            Some(f) => (&f.document, &f.operation),
            None => (&self.document, &self.operation),
        }
    }
}

/// Validates a request against the API schema and the limits; any failure
/// is a request error (no `data`).
pub fn prepare(runtime: &Runtime, request: &GraphQLRequest) -> Result<Prepared, Outcome> {
    let Some(query) = request.query.as_deref().filter(|q| !q.trim().is_empty()) else {
        return Err(Outcome::error(
            StatusCode::BAD_REQUEST,
            "GRAPHQL_PARSE_FAILED",
            "Must provide a query string",
        ));
    };
    let document = match runtime.document(query) {
        Ok(document) => document,
        Err(DocumentError::Parse(errors)) => {
            return Err(Outcome::request_error(
                StatusCode::BAD_REQUEST,
                with_code(errors, "GRAPHQL_PARSE_FAILED"),
            ));
        }
        Err(DocumentError::Invalid(errors)) => {
            return Err(Outcome::request_error(
                StatusCode::BAD_REQUEST,
                with_code(errors, "GRAPHQL_VALIDATION_FAILED"),
            ));
        }
    };
    let operation_name = request.operation_name.as_deref().filter(|n| !n.is_empty());
    let operation = match document.operations.get(operation_name) {
        Ok(operation) => operation.clone(),
        Err(_) => {
            let message = match operation_name {
                Some(name) => format!("Unknown operation named \"{name}\""),
                None => "The document has several operations: operationName is required".into(),
            };
            return Err(Outcome::error(
                StatusCode::BAD_REQUEST,
                "GRAPHQL_UNKNOWN_OPERATION_NAME",
                message,
            ));
        }
    };
    if request.is_get && !operation.is_query() {
        return Err(Outcome::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Only queries can be sent with GET; use POST",
        ));
    }
    if let Err(e) = limits::check(&document, &operation, &runtime.config.limits) {
        return Err(Outcome::error(
            StatusCode::BAD_REQUEST,
            "OPERATION_LIMIT_EXCEEDED",
            e.to_string(),
        ));
    }
    let introspects = introspection::has_schema_introspection(&operation);
    if introspects && !runtime.config.introspection {
        return Err(Outcome::error(
            StatusCode::BAD_REQUEST,
            "INTROSPECTION_DISABLED",
            "Introspection is disabled",
        ));
    }
    let (variables, coerced) = coerce(runtime, &document, &operation, request.variables.clone())?;
    let one_of = one_of::variable_errors(
        &runtime.supergraph.api_schema,
        &document,
        &operation,
        &variables,
    );
    if !one_of.is_empty() {
        return Err(Outcome::request_error(
            StatusCode::BAD_REQUEST,
            with_code(one_of, "BAD_USER_INPUT"),
        ));
    }
    let filtered = runtime.auth.filter(
        &runtime.supergraph.api_schema,
        &document,
        &operation,
        request.viewer.as_ref(),
    );
    Ok(Prepared {
        filtered,
        operation_name: operation_name.map(str::to_owned),
        query: query.to_owned(),
        document,
        operation,
        variables,
        coerced,
        introspects,
    })
}

/// Answers a request from `ip`: its persisted query resolved, prepared,
/// charged to its rate limits, then executed.
pub async fn handle(runtime: &Runtime, mut request: GraphQLRequest, ip: Option<IpAddr>) -> Outcome {
    let prepared = runtime
        .persisted
        .resolve(&mut request)
        .and_then(|()| prepare(runtime, &request));
    let prepared = match admission::admit(runtime, prepared, request.viewer.as_ref(), ip).await {
        Ok(prepared) => prepared,
        Err(outcome) => return outcome,
    };
    if prepared.operation.operation_type.is_subscription() {
        return Outcome::error(
            StatusCode::BAD_REQUEST,
            "SUBSCRIPTION_NOT_SUPPORTED",
            "Subscriptions are served over WebSocket on this path",
        );
    }
    execute(runtime, &prepared, &request.forwarded_headers).await
}

pub(crate) async fn execute(
    runtime: &Runtime,
    prepared: &Prepared,
    headers: &HeaderMap,
) -> Outcome {
    let schema = &runtime.supergraph.api_schema;
    let document = &prepared.document;
    let operation = &prepared.operation;
    let mut data = crate::execute::Value::default();
    let mut errors = Vec::new();

    if prepared.introspects {
        match introspection::answer(
            schema,
            &runtime.supergraph.implementers,
            document,
            operation,
            &prepared.coerced,
        ) {
            Ok((partial, introspection_errors)) => {
                data = crate::execute::Value::from(&partial);
                errors.extend(introspection_errors);
            }
            Err(message) => {
                return Outcome::error(StatusCode::BAD_REQUEST, "INTROSPECTION_TOO_DEEP", message);
            }
        }
    }

    if !introspection::has_concrete_fields(prepared.planned_operation().1) {
        return respond(runtime, prepared, &data, errors, &AnswerSize::default());
    }
    let plan = match plan(runtime, prepared) {
        Ok(plan) => plan,
        Err(outcome) => return outcome,
    };
    let output = runtime
        .executor
        .execute(&plan, &prepared.variables, headers)
        .await;
    crate::execute::merge_into(&mut data, output.data);
    errors.extend(output.errors);
    respond(runtime, prepared, &data, errors, &plan.answer_size)
}

/// The plan for a prepared request (cached per document and operation).
pub fn plan(runtime: &Runtime, prepared: &Prepared) -> Result<Arc<QueryPlan>, Outcome> {
    let planned = if prepared.introspects || prepared.filtered.is_some() {
        // The planner only knows subgraph fields: hand it the operation
        // without the meta-fields the router answers itself, and without
        // what the caller may not see.
        let (document, operation) = prepared.planned_operation();
        runtime
            .planner
            .plan_cached(&introspection::planning_text(document, operation), None)
    } else {
        runtime
            .planner
            .plan_cached(&prepared.query, prepared.operation_name.as_deref())
    };
    planned.map_err(|e| planning_failed(&e))
}

/// Projects merged data onto the client's selection: the final response,
/// written into a buffer of the plan's recent `size`.
pub fn respond(
    runtime: &Runtime,
    prepared: &Prepared,
    data: &crate::execute::Value,
    mut errors: Vec<GraphQLError>,
    size: &AnswerSize,
) -> Outcome {
    let mut json = Vec::with_capacity(size.capacity());
    json.extend_from_slice(b"{\"data\":");
    let operation = ClientOperation {
        schema: &runtime.supergraph.api_schema,
        document: &prepared.document,
        operation: &prepared.operation,
        variables: &prepared.variables,
        denied: prepared.filtered.as_ref().map(|f| &f.denied),
    };
    project(&operation, data, &mut errors, &mut json);
    let has_errors = !errors.is_empty();
    if has_errors {
        json.extend_from_slice(b",\"errors\":");
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut json, &errors);
    }
    json.push(b'}');
    size.record(json.len());
    // SAFETY: every byte written is ASCII punctuation, a GraphQL name, or
    // the text of a `str` (the projection writes `Text`s, whose bytes are
    // whole `str`s; numbers and errors are written by serde_json). Checking
    // 88 KB again per answer was 1% of the router's instructions.
    let json = unsafe { String::from_utf8_unchecked(json) };
    Outcome {
        status: StatusCode::OK,
        body: ResponseBody::Text { json, has_errors },
        operation: prepared.operation.name.as_ref().map(|n| n.to_string()),
    }
}

/// A planning failure as the client sees it. Whose fault it is decides
/// the status:
/// - `Parse`: the planner's parser refused a document the router's parser
///   accepted, so the document is beyond the planner's own limits (the
///   router's are set to stay within them, see `Limits::max_nesting`) or
///   in syntax newer than the planner's: 400, the operation must change.
/// - `Normalization`, `Planning`: a valid operation for which this
///   supergraph offers no plan. The request cannot succeed as sent and
///   retrying does not help: 400, as Apollo Router answers too. The cause
///   may lie in the supergraph rather than the client, hence the warning.
/// - `Unsupported`: a plan the executor cannot run (`@defer`): 400.
/// - `Crashed` (a panic caught in the planner), `Supergraph`: the
///   router's own failure, whatever was asked: 500.
fn planning_failed(error: &PlanError) -> Outcome {
    match error {
        PlanError::Parse(_) => {
            tracing::info!(error = %error, "the query planner cannot parse the operation");
            Outcome::error(
                StatusCode::BAD_REQUEST,
                "QUERY_PLANNING_FAILED",
                "The query planner cannot parse this operation: it nests too deeply or uses syntax the planner does not know",
            )
        }
        PlanError::Normalization(_) | PlanError::Planning(_) => {
            tracing::warn!(error = %error, "no query plan for a valid operation");
            Outcome::error(
                StatusCode::BAD_REQUEST,
                "QUERY_PLANNING_FAILED",
                "No query plan can be built for this operation",
            )
        }
        PlanError::Unsupported(_) => Outcome::error(
            StatusCode::BAD_REQUEST,
            "QUERY_PLANNING_FAILED",
            error.to_string(),
        ),
        PlanError::Crashed | PlanError::Supergraph(_) => {
            tracing::error!(error = %error, "query planning failed");
            Outcome::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "QUERY_PLANNING_FAILED",
                "The router could not plan this operation",
            )
        }
    }
}

/// The request's `variables` as the operation's coerced values.
fn coerce(
    runtime: &Runtime,
    document: &Valid<ExecutableDocument>,
    operation: &Operation,
    raw: Option<Value>,
) -> Result<Coerced, Outcome> {
    let provided = match raw {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(Outcome::error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "`variables` must be a JSON object",
            ));
        }
    };
    variables::coerce(
        &runtime.supergraph.api_schema,
        &document.sources,
        operation,
        provided,
    )
    .map_err(|errors| {
        Outcome::request_error(StatusCode::BAD_REQUEST, with_code(errors, "BAD_USER_INPUT"))
    })
}
