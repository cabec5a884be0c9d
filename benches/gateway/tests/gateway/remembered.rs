//! Subgraphs that remember their answers (`--remember-answers`, as
//! benches/run.sh runs them) give the router the answers that executing
//! each request gives, and still receive every request.

use std::collections::BTreeMap;

use gateway_subgraphs::Answers;

use crate::helpers::{Gateway, Received, deep_query};

#[tokio::test]
async fn remembered_answers_are_the_executed_ones_and_every_request_still_arrives() {
    let executed = Gateway::start(Answers::Executed).await;
    let remembered = Gateway::start(Answers::Remembered).await;
    let expected = executed.post(&deep_query()).await;
    assert_eq!(expected.0, 200, "{}", expected.1);
    for _ in 0..3 {
        assert_eq!(remembered.post(&deep_query()).await, expected);
    }
    let thrice: BTreeMap<_, _> = executed
        .received()
        .into_iter()
        .map(|(name, once)| {
            let requests = 3 * once.requests;
            let representations = 3 * once.representations;
            (
                name,
                Received {
                    requests,
                    representations,
                },
            )
        })
        .collect();
    assert_eq!(remembered.received(), thrice);
}

#[tokio::test]
async fn a_request_that_is_not_graphql_is_refused_and_not_remembered() {
    let subgraph = gateway_subgraphs::subgraphs(Answers::Remembered).remove(0);
    let bound = subgraph.bind(0).await.expect("subgraph binds");
    let url = bound.url();
    tokio::spawn(bound.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::new();
    for body in ["{", "{", r#"{"query": "{ _service { sdl } }"}"#] {
        let response = client.post(&url).body(body).send().await.expect("answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        if body == "{" {
            assert_eq!(status, 400, "{text}");
            assert!(text.starts_with("not a GraphQL request"), "{text}");
        } else {
            assert_eq!(status, 200, "{text}");
            assert!(text.contains("type User"), "{text}");
        }
    }
}
