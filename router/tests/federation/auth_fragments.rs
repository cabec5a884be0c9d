//! Type-level `@authenticated`/`@requiresScopes` on union members, checked
//! on `... on T` and on spreads of fragments on T, and on interfaces, which
//! composition gives their implementers' requirements: what the caller may
//! not see is left out of the fetch, and each field left out is `null` with
//! the error and path the field-level checks give, on the members of that
//! type only.

use serde_json::json;

use crate::{
    guarded_subgraph::{setup, unauthorized},
    helpers::{ask, token},
};

const SEARCH: &str = "{ search { __typename ... on Product { name } ... on Account { email } ... on Ledger { total } } }";

#[tokio::test]
async fn members_of_a_union_the_caller_may_not_see_are_left_out() {
    let guarded = setup().await;
    let (status, body) = ask(&guarded.router, None, SEARCH).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({
            "data": {"search": [
                {"__typename": "Product", "name": "Kettle"},
                {"__typename": "Account", "email": null},
                {"__typename": "Ledger", "total": null}
            ]},
            "errors": [
                unauthorized(json!(["search", 1, "email"])),
                unauthorized(json!(["search", 2, "total"]))
            ]
        })
    );
    let fetched = guarded.subgraph.log.all();
    assert_eq!(fetched.len(), 1);
    assert!(!fetched[0].query.contains("email"), "{}", fetched[0].query);
    assert!(!fetched[0].query.contains("total"), "{}", fetched[0].query);

    // Signed in: accounts are visible, ledgers still need the audit scope.
    let customer = token(&guarded.key, "customer");
    let (_, body) = ask(&guarded.router, Some(&customer), SEARCH).await;
    assert_eq!(
        body["data"]["search"][1],
        json!({"__typename": "Account", "email": "ada@example.com"})
    );
    assert_eq!(
        body["errors"],
        json!([unauthorized(json!(["search", 2, "total"]))])
    );

    let auditor = token(&guarded.key, "audit");
    let (_, body) = ask(&guarded.router, Some(&auditor), SEARCH).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["search"][2],
        json!({"__typename": "Ledger", "total": 900})
    );
}

/// Composition gives an interface the requirements of all its
/// implementers (as Apollo's does: `Node` here is `@authenticated` and
/// needs `audit`), so a field of the interface type is seen only by callers
/// who may see every implementer, and fragments on them need no check of
/// their own.
#[tokio::test]
async fn an_interface_demands_what_each_of_its_implementers_demands() {
    let guarded = setup().await;
    let query =
        "{ nodes { id ... on Account { email } ...Books } } fragment Books on Ledger { total }";
    for caller in [None, Some(token(&guarded.key, "customer"))] {
        let (status, body) = ask(&guarded.router, caller.as_deref(), query).await;
        assert_eq!(status, 200, "{body}");
        // `nodes` is a non-null list: its null reaches `data`.
        assert_eq!(
            body,
            json!({"data": null, "errors": [unauthorized(json!(["nodes"]))]})
        );
    }
    assert!(guarded.subgraph.log.all().is_empty());

    let (_, body) = ask(&guarded.router, Some(&token(&guarded.key, "audit")), query).await;
    assert_eq!(
        body,
        json!({"data": {"nodes": [
            {"id": "p1"},
            {"id": "a1", "email": "ada@example.com"},
            {"id": "l1", "total": 900}
        ]}})
    );
}

#[tokio::test]
async fn a_field_and_its_type_must_both_allow_the_caller() {
    let guarded = setup().await;
    // `ledger` asks for finance, `Ledger` for audit: one of them is not enough.
    for scope in ["finance", "audit"] {
        let (_, body) = ask(
            &guarded.router,
            Some(&token(&guarded.key, scope)),
            "{ ledger { total } }",
        )
        .await;
        assert_eq!(
            body,
            json!({"data": {"ledger": null}, "errors": [unauthorized(json!(["ledger"]))]}),
            "{scope}"
        );
    }
    let (_, body) = ask(
        &guarded.router,
        Some(&token(&guarded.key, "finance audit")),
        "{ ledger { total } }",
    )
    .await;
    assert_eq!(body, json!({"data": {"ledger": {"total": 900}}}));
}
