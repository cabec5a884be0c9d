//! Executor tests on hand-built plans with a fake subgraph transport.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use async_trait::async_trait;
use hyper::HeaderMap;
use serde_json::{Map, Value, json};

use super::{
    ExecutionOutput, Executor, SubgraphClient, SubgraphError, SubgraphRequest, SubgraphResponse,
    test_values::Exact,
};
use crate::{
    plan::{
        BatchFetchNode, EntityBatch, FetchNode, OperationKind, PathStep, PlanNode, QueryPlan,
        ResponsePath, Selection,
    },
    response::PathSegment,
};

type Responder = dyn Fn(&SubgraphRequest) -> Result<Value, SubgraphError> + Send + Sync;

struct Fake {
    respond: Box<Responder>,
    delay: Duration,
    calls: Mutex<Vec<(String, SubgraphRequest)>>,
}

#[async_trait]
impl SubgraphClient for Fake {
    async fn execute(
        &self,
        service: &str,
        request: SubgraphRequest,
    ) -> Result<SubgraphResponse, SubgraphError> {
        tokio::time::sleep(self.delay).await;
        let body = (self.respond)(&request)?;
        self.calls
            .lock()
            .expect("calls")
            .push((service.to_owned(), request));
        SubgraphResponse::from_json(&bytes::Bytes::from(body.to_string()))
    }
}

/// A request's query text.
fn query(request: &SubgraphRequest) -> String {
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    body["query"].as_str().unwrap_or_default().to_owned()
}

/// What a request's variables are, as JSON.
fn variables(request: &SubgraphRequest) -> Value {
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    body["variables"].clone()
}

/// The merged data, as JSON.
fn data(output: &ExecutionOutput) -> Value {
    Value::from(&output.data)
}

fn fake(
    delay: Duration,
    respond: impl Fn(&SubgraphRequest) -> Result<Value, SubgraphError> + Send + Sync + 'static,
) -> Arc<Fake> {
    Arc::new(Fake {
        respond: Box::new(respond),
        delay,
        calls: Mutex::new(Vec::new()),
    })
}

fn root(service: &str, operation: &str) -> PlanNode {
    PlanNode::Fetch(FetchNode {
        service_name: service.into(),
        operation_kind: OperationKind::Query,
        operation: operation.into(),
        variable_usages: vec![],
        requires: None,
        input_rewrites: vec![],
        output_rewrites: vec![],
    })
}

fn key_of(type_name: &str, key: &str) -> Vec<Selection> {
    vec![Selection::InlineFragment {
        type_condition: type_name.into(),
        selections: ["__typename", key]
            .into_iter()
            .map(|name| Selection::Field {
                name: name.into(),
                alias: None,
                selections: vec![],
            })
            .collect(),
    }]
}

/// Fetches `name` from users for every User under `list`, by `id`.
fn names_of_listed_users() -> PlanNode {
    PlanNode::Flatten {
        path: path(&["list", "@"]),
        node: Box::new(PlanNode::Fetch(FetchNode {
            service_name: "users".into(),
            operation_kind: OperationKind::Query,
            operation: "query($representations:[_Any!]!){_entities(representations:$representations){...on User{name}}}".into(),
            variable_usages: vec![],
            requires: Some(key_of("User", "id")),
            input_rewrites: vec![],
            output_rewrites: vec![],
        })),
    }
}

fn path(steps: &[&str]) -> ResponsePath {
    ResponsePath(
        steps
            .iter()
            .map(|s| match *s {
                "@" => PathStep::List,
                field => PathStep::Field(field.into()),
            })
            .collect(),
    )
}

async fn run(client: Arc<Fake>, plan: PlanNode, variables: Value) -> super::ExecutionOutput {
    let executor = Executor::new(client, Arc::new(Exact));
    let variables: Map<String, Value> = match variables {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    executor
        .execute(&QueryPlan::new(Some(plan)), &variables, &HeaderMap::new())
        .await
}

#[tokio::test]
async fn parallel_fetches_run_concurrently_and_merge() {
    let client = fake(Duration::from_millis(200), |request| {
        Ok(if query(request).contains("a") {
            json!({"data": {"a": 1}})
        } else {
            json!({"data": {"b": 2}})
        })
    });
    let started = Instant::now();
    let output = run(
        client,
        PlanNode::Parallel {
            nodes: vec![root("one", "{a}"), root("two", "{b}")],
        },
        json!({}),
    )
    .await;
    assert!(started.elapsed() < Duration::from_millis(380));
    assert_eq!(data(&output), json!({"a": 1, "b": 2}));
    assert!(output.errors.is_empty());
}

#[tokio::test]
async fn batch_fetch_sends_each_list_once_and_merges_into_every_path() {
    let client = fake(Duration::ZERO, |request| {
        if query(request).contains("_e0") {
            let users = variables(request)["reps_users"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let posts = variables(request)["reps_posts"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let name = |rep: &Value| json!({"name": format!("user {}", rep["id"].as_str().unwrap_or("?"))});
            let title = |rep: &Value| json!({"title": format!("post {}", rep["id"].as_str().unwrap_or("?"))});
            Ok(json!({"data": {
                "_e0": users.iter().map(name).collect::<Vec<_>>(),
                "_e1": posts.iter().map(title).collect::<Vec<_>>()
            }}))
        } else {
            Ok(json!({"data": {
                "feed": [
                    {"author": {"__typename": "User", "id": "1"}, "post": {"__typename": "Post", "id": "9"}},
                    {"author": {"__typename": "User", "id": "1"}, "post": {"__typename": "Post", "id": "8"}},
                    {"author": {"__typename": "User", "id": "2"}, "post": null}
                ],
                "me": {"__typename": "User", "id": "2"}
            }}))
        }
    });
    let batch = PlanNode::BatchFetch(BatchFetchNode {
        service_name: "entities".into(),
        operation: "query($reps_users:[_Any!]!,$reps_posts:[_Any!]!){_e0:_entities(representations:$reps_users){...on User{name}} _e1:_entities(representations:$reps_posts){...on Post{title}}}".into(),
        variable_usages: vec![],
        batches: vec![
            EntityBatch {
                alias: "_e0".into(),
                representations_variable: "reps_users".into(),
                paths: vec![path(&["feed", "@", "author"]), path(&["me"])],
                requires: key_of("User", "id"),
                input_rewrites: vec![],
                output_rewrites: vec![],
            },
            EntityBatch {
                alias: "_e1".into(),
                representations_variable: "reps_posts".into(),
                paths: vec![path(&["feed", "@", "post"])],
                requires: key_of("Post", "id"),
                input_rewrites: vec![],
                output_rewrites: vec![],
            },
        ],
    });
    let output = run(
        client.clone(),
        PlanNode::Sequence {
            nodes: vec![root("root", "{feed{...}}"), batch],
        },
        json!({}),
    )
    .await;
    assert!(output.errors.is_empty(), "{:?}", output.errors);
    assert_eq!(data(&output)["feed"][1]["author"]["name"], "user 1");
    assert_eq!(data(&output)["feed"][2]["author"]["name"], "user 2");
    assert_eq!(data(&output)["me"]["name"], "user 2");
    assert_eq!(data(&output)["feed"][0]["post"]["title"], "post 9");
    assert_eq!(data(&output)["feed"][2]["post"], Value::Null);
    let calls = client.calls.lock().expect("calls");
    assert_eq!(calls.len(), 2);
    assert_eq!(
        variables(&calls[1].1)["reps_users"],
        json!([{"__typename": "User", "id": "1"}, {"__typename": "User", "id": "2"}])
    );
}

#[tokio::test]
async fn conditions_follow_the_boolean_variable() {
    let client = fake(Duration::ZERO, |request| {
        Ok(json!({"data": {query(request).trim_matches(|c| c == '{' || c == '}'): true}}))
    });
    let plan = PlanNode::Condition {
        condition: "on".into(),
        if_clause: Some(Box::new(root("s", "{yes}"))),
        else_clause: Some(Box::new(root("s", "{no}"))),
    };
    let output = run(client.clone(), plan.clone(), json!({"on": true})).await;
    assert_eq!(data(&output), json!({"yes": true}));
    let output = run(client, plan, json!({"on": false})).await;
    assert_eq!(data(&output), json!({"no": true}));
}

#[tokio::test]
async fn entity_error_paths_are_rebased_onto_every_object_sharing_the_representation() {
    let client = fake(Duration::ZERO, |request| {
        if query(request).contains("_entities") {
            Ok(json!({
                "data": {"_entities": [{"name": "ok"}, null]},
                "errors": [{"message": "boom", "path": ["_entities", 1, "name"]}]
            }))
        } else {
            Ok(json!({"data": {"list": [
                {"__typename": "User", "id": "a"},
                {"__typename": "User", "id": "b"},
                {"__typename": "User", "id": "b"}
            ]}}))
        }
    });
    let entities = names_of_listed_users();
    let output = run(
        client,
        PlanNode::Sequence {
            nodes: vec![root("root", "{list{__typename id}}"), entities],
        },
        json!({}),
    )
    .await;
    let paths: Vec<_> = output.errors.iter().map(|e| e.path.clone()).collect();
    let at = |i: usize| {
        Some(vec![
            PathSegment::Key("list".into()),
            PathSegment::Index(i),
            PathSegment::Key("name".into()),
        ])
    };
    assert_eq!(paths, vec![at(1), at(2)]);
    assert_eq!(data(&output)["list"][0]["name"], "ok");
    assert_eq!(output.errors[0].extensions["serviceName"], "users");
}

#[tokio::test]
async fn malformed_data_never_replaces_the_tree() {
    let client = fake(Duration::ZERO, |request| {
        Ok(if query(request).contains("_entities") {
            json!({"data": {"_entities": ["not an object", {"name": "b"}]}})
        } else if query(request).contains("bad") {
            json!({"data": "garbage"})
        } else {
            json!({"data": {"list": [
                {"__typename": "User", "id": "a"},
                {"__typename": "User", "id": "b"}
            ]}})
        })
    });
    let entities = names_of_listed_users();
    let output = run(
        client,
        PlanNode::Sequence {
            nodes: vec![
                PlanNode::Parallel {
                    nodes: vec![
                        root("root", "{list{__typename id}}"),
                        root("other", "{bad}"),
                    ],
                },
                entities,
            ],
        },
        json!({}),
    )
    .await;
    assert_eq!(
        data(&output),
        json!({"list": [
            {"__typename": "User", "id": "a"},
            {"__typename": "User", "id": "b", "name": "b"}
        ]})
    );
    let codes: Vec<_> = output.errors.iter().map(|e| e.code()).collect();
    assert_eq!(
        codes,
        vec![
            Some("SUBREQUEST_MALFORMED_RESPONSE"),
            Some("SUBREQUEST_MALFORMED_RESPONSE")
        ]
    );
}

#[tokio::test]
async fn a_failing_fetch_reports_its_subgraph_and_keeps_other_data() {
    let client = fake(Duration::ZERO, |request| {
        if query(request).contains("bad") {
            Err(SubgraphError::Status(503))
        } else {
            Ok(json!({"data": {"good": 1}}))
        }
    });
    let output = run(
        client,
        PlanNode::Parallel {
            nodes: vec![root("ok", "{good}"), root("down", "{bad}")],
        },
        json!({}),
    )
    .await;
    assert_eq!(data(&output), json!({"good": 1}));
    assert_eq!(output.errors.len(), 1);
    assert_eq!(output.errors[0].code(), Some("SUBREQUEST_HTTP_ERROR"));
    assert!(output.errors[0].message.contains("down"));
}
