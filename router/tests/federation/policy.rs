//! `@policy` is enforced with the rules router.yaml gives each policy
//! (`authorization.policies`), and a supergraph naming a policy without a
//! rule is refused, at start and at reload: never silently ignored.

use std::time::{Duration, Instant};

use router::App;
use serde_json::{Value, json};

use crate::{
    guarded_subgraph::{POLICIES, SDL, settings, setup, supergraph, supergraph_of, unauthorized},
    helpers::{TestRouter, ask, spawn_subgraph, token},
};

#[tokio::test]
async fn a_field_under_a_policy_answers_only_callers_meeting_its_rule() {
    let guarded = setup().await;
    let query = "{ products { name cost } }";
    for caller in [None, Some(token(&guarded.key, "customer"))] {
        let (status, body) = ask(&guarded.router, caller.as_deref(), query).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body,
            json!({
                "data": {"products": [{"name": "Kettle", "cost": null}]},
                "errors": [unauthorized(json!(["products", 0, "cost"]))]
            })
        );
    }
    let finance = token(&guarded.key, "finance");
    let (_, body) = ask(&guarded.router, Some(&finance), query).await;
    assert_eq!(
        body,
        json!({"data": {"products": [{"name": "Kettle", "cost": 12}]}})
    );
}

#[tokio::test]
async fn policies_combine_as_alternatives_of_sets_met_in_full() {
    let guarded = setup().await;
    // payroll: (finance and hr) or admin.
    for (scope, allowed) in [
        ("finance", false),
        ("hr", false),
        ("finance hr", true),
        ("admin", true),
    ] {
        let (_, body) = ask(
            &guarded.router,
            Some(&token(&guarded.key, scope)),
            "{ payroll }",
        )
        .await;
        let expected = if allowed {
            json!({"data": {"payroll": 4200}})
        } else {
            json!({"data": {"payroll": null}, "errors": [unauthorized(json!(["payroll"]))]})
        };
        assert_eq!(body, expected, "{scope}");
    }
}

#[tokio::test]
async fn a_supergraph_naming_a_policy_without_a_rule_is_refused_at_start() {
    let subgraph = spawn_subgraph(crate::guarded_subgraph::guarded_schema()).await;
    let key = platform::auth::SigningKey::generate().expect("key");
    let only_finance = "authorization:\n  policies:\n    finance: { require_scopes: [finance] }\n";
    let error = match App::build(settings(&subgraph, &key, only_finance)).await {
        Ok(_) => panic!("the router started with policies it cannot enforce"),
        Err(error) => format!("{error:#}"),
    };
    assert!(
        error.contains(
            "the supergraph's @policy names policies router.yaml has no rule for: admin, hr (authorization.policies)"
        ),
        "{error}"
    );
    assert!(subgraph.log.all().is_empty());
}

/// Asks until `done` holds for the answer, for at most ten seconds (files
/// are polled every second).
async fn eventually(
    router: &TestRouter,
    token: Option<&str>,
    query: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = ask(router, token, query).await;
        if done(&body) || Instant::now() > deadline {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Longer than two polls: a change would have been picked up.
async fn two_polls() {
    tokio::time::sleep(Duration::from_millis(2500)).await;
}

#[tokio::test]
async fn a_reload_that_would_leave_a_policy_without_a_rule_is_refused() {
    let subgraph = spawn_subgraph(crate::guarded_subgraph::guarded_schema()).await;
    let key = platform::auth::SigningKey::generate().expect("key");
    let dir = std::env::temp_dir().join(format!(
        "router-policy-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config_path = dir.join("router.yaml");
    let supergraph_path = dir.join("supergraph.graphql");
    let full = supergraph(&subgraph.url);
    // The same graph with payroll for admins only: it names no hr policy.
    let admins_only = supergraph_of(
        &subgraph.url,
        &SDL.replace("[[\"finance\", \"hr\"], [\"admin\"]]", "[[\"admin\"]]"),
    );
    let without_hr = "introspection: false\nauthorization:\n  policies:\n    finance: { require_scopes: [finance] }\n    admin: { require_scopes: [admin] }\n";
    std::fs::write(&config_path, POLICIES).expect("router.yaml");
    std::fs::write(&supergraph_path, &full).expect("supergraph");
    let mut settings = settings(&subgraph, &key, POLICIES);
    settings.config_path = Some(config_path.clone());
    settings.supergraph_path = Some(supergraph_path.clone());
    let router = TestRouter::start(settings).await;
    let finance_hr = token(&key, "finance hr");
    let payroll = |body: &Value| body["data"]["payroll"].clone();
    let introspection = "{ __schema { queryType { name } } }";

    // router.yaml without the hr rule the supergraph needs: refused.
    std::fs::write(&config_path, without_hr).expect("router.yaml");
    two_polls().await;
    let (status, body) = ask(&router, None, introspection).await;
    assert_eq!(status, 200, "the running router.yaml stays: {body}");

    // A supergraph without hr is served...
    std::fs::write(&supergraph_path, &admins_only).expect("supergraph");
    let body = eventually(&router, Some(&finance_hr), "{ payroll }", |b| {
        payroll(b).is_null()
    })
    .await;
    assert_eq!(body["errors"], json!([unauthorized(json!(["payroll"]))]));
    // ...and then router.yaml without hr applies.
    std::fs::write(&config_path, without_hr).expect("router.yaml");
    let body = eventually(&router, None, introspection, |b| b.get("data").is_none()).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "INTROSPECTION_DISABLED"
    );

    // The supergraph naming hr again is refused: payroll stays admins-only.
    std::fs::write(&supergraph_path, &full).expect("supergraph");
    two_polls().await;
    let (_, body) = ask(&router, Some(&finance_hr), "{ payroll }").await;
    assert_eq!(
        body["errors"],
        json!([unauthorized(json!(["payroll"]))]),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
