//! `@authenticated` and `@requiresScopes` enforced by the router before any
//! fetch: unauthorised fields are null with an error, the rest answers.

use platform::auth::{JwksSource, SigningKey};
use router::Settings;
use serde_json::{Value, json};

use crate::helpers::{SUPERGRAPH, TestRouter, TestSubgraphs, ask, token};

struct Setup {
    subgraphs: TestSubgraphs,
    router: TestRouter,
    key: SigningKey,
}

async fn setup() -> Setup {
    let subgraphs = TestSubgraphs::spawn().await;
    let key = SigningKey::generate().expect("key");
    let mut settings = Settings::new(SUPERGRAPH);
    settings.subgraph_url_overrides = subgraphs.urls();
    settings.jwks = Some(JwksSource::Static(key.jwks()));
    let router = TestRouter::start(settings).await;
    Setup {
        subgraphs,
        router,
        key,
    }
}

const QUERY: &str = "{ users { name email internalNotes } }";

#[tokio::test]
async fn anonymous_callers_get_nulls_and_errors_for_protected_fields_only() {
    let setup = setup().await;
    let (status, body) = ask(&setup.router, None, QUERY).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["users"][0],
        json!({"name": "Ada", "email": null, "internalNotes": null})
    );
    // One error wherever a protected field would have held a value, at
    // its full path.
    let errors = body["errors"].as_array().expect("errors");
    let paths: Vec<&Value> = errors.iter().map(|e| &e["path"]).collect();
    let expected: Vec<Value> = (0..3)
        .flat_map(|i| {
            [
                json!(["users", i, "email"]),
                json!(["users", i, "internalNotes"]),
            ]
        })
        .collect();
    assert_eq!(paths, expected.iter().collect::<Vec<_>>(), "{body}");
    for error in errors {
        assert_eq!(error["extensions"]["code"], "UNAUTHORIZED_FIELD_OR_TYPE");
    }
    // Enforced before the fetch: the subgraph never saw the fields.
    let calls = setup.subgraphs.accounts.log.all();
    assert_eq!(calls.len(), 1);
    assert!(!calls[0].query.contains("email"), "{}", calls[0].query);
    assert!(!calls[0].query.contains("internalNotes"));
}

#[tokio::test]
async fn scopes_are_checked_as_alternatives_of_required_sets() {
    let setup = setup().await;
    let customer = token(&setup.key, "customer");
    let (status, body) = ask(&setup.router, Some(&customer), QUERY).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["users"][0]["email"], "ada@example.com");
    assert_eq!(body["data"]["users"][0]["internalNotes"], Value::Null);
    assert_eq!(
        body["errors"][0]["path"],
        json!(["users", 0, "internalNotes"])
    );

    // Only half of the ["support", "audit"] set is not enough.
    let support = token(&setup.key, "customer support");
    let (_, body) = ask(&setup.router, Some(&support), QUERY).await;
    assert_eq!(body["data"]["users"][0]["internalNotes"], Value::Null);

    for scope in ["admin", "support audit"] {
        let allowed = token(&setup.key, scope);
        let (status, body) = ask(&setup.router, Some(&allowed), QUERY).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{scope}: {body}");
        assert_eq!(body["data"]["users"][2]["internalNotes"], "notes on grace");
    }
}

#[tokio::test]
async fn a_bad_token_is_refused_with_401() {
    let setup = setup().await;
    let other = SigningKey::generate().expect("key");
    for bad in [token(&other, "admin"), "not-a-jwt".to_owned()] {
        let (status, body) = ask(&setup.router, Some(&bad), QUERY).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    assert!(setup.subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn a_fully_protected_selection_still_leaves_a_valid_operation() {
    let setup = setup().await;
    let (status, body) = ask(
        &setup.router,
        None,
        "{ user(id: \"u2\") { email } product(upc: \"p1\") { name } }",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"user": {"email": null}, "product": {"name": "Table"}})
    );
}
