//! `User` as a federation entity, and who sees its private fields.

use serde_json::{Value, json};

use crate::helpers::{all_engines, error_codes, spawn_seeded_app};

const ENTITIES: &str = "query($representations: [_Any!]!) { _entities(representations: $representations) \
    { ... on User { id name } } }";
const PRIVATE: &str = "query($representations: [_Any!]!) { _entities(representations: $representations) \
    { ... on User { id name email addresses { id } } } }";

fn refs(ids: &[&str]) -> Value {
    json!({ "representations": ids.iter().map(|id| json!({ "__typename": "User", "id": id })).collect::<Vec<_>>() })
}

#[tokio::test]
async fn entities_resolve_a_batch_of_users_in_order() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        let (_, a) = app.new_customer("alpha").await;
        let (_, b) = app.new_customer("beta").await;
        let batches = app.counter("users_user_loader_batches_total").await;
        let keys = app.counter("users_user_loader_keys_total").await;
        let body = app
            .gql(
                ENTITIES,
                refs(&[&b.user_id, "no-such-user", &a.user_id, &b.user_id]),
                None,
            )
            .await;
        assert_eq!(body["errors"], Value::Null, "{engine}: {body}");
        assert_eq!(
            body["data"]["_entities"],
            json!([
                { "id": b.user_id, "name": "beta" },
                null,
                { "id": a.user_id, "name": "alpha" },
                { "id": b.user_id, "name": "beta" },
            ]),
            "{engine}"
        );
        // One query for the whole batch, duplicates folded.
        assert_eq!(
            app.counter("users_user_loader_batches_total").await,
            batches + 1,
            "{engine}"
        );
        assert_eq!(
            app.counter("users_user_loader_keys_total").await,
            keys + 3,
            "{engine}"
        );
    }
}

#[tokio::test]
async fn address_books_of_a_list_of_users_load_in_one_batch() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        let admin = app.admin().await;
        for i in 0..4 {
            app.new_customer(&format!("book{i}")).await;
        }
        let batches = app.counter("users_address_loader_batches_total").await;
        let body = app
            .gql(
                "{ users(first: 100) { edges { node { addresses { id } defaultAddress { id } } } } }",
                json!({}),
                Some(&admin.access),
            )
            .await;
        let edges = body["data"]["users"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(edges.len(), 6, "{engine}: {body}");
        // The demo customer has one address, the rest none.
        let with_address = edges
            .iter()
            .filter(|e| e["node"]["defaultAddress"].is_object())
            .count();
        assert_eq!(with_address, 1, "{engine}: {body}");
        assert_eq!(
            app.counter("users_address_loader_batches_total").await,
            batches + 1,
            "{engine}: 6 users' address books (read twice each) in one query"
        );
    }
}

#[tokio::test]
async fn private_fields_are_for_the_user_themself_and_admins_only() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        let (email, owner) = app.new_customer("private").await;
        let (_, stranger) = app.new_customer("stranger").await;
        let admin = app.admin().await;
        let variables = refs(&[&owner.user_id]);

        for token in [Some(owner.access.as_str()), Some(admin.access.as_str())] {
            let body = app.gql(PRIVATE, variables.clone(), token).await;
            assert_eq!(
                body["data"]["_entities"][0]["email"],
                email.as_str(),
                "{engine}: {body}"
            );
            assert_eq!(body["data"]["_entities"][0]["addresses"], json!([]));
        }
        for (token, code) in [
            (Some(stranger.access.as_str()), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ] {
            let body = app.gql(PRIVATE, variables.clone(), token).await;
            let user = &body["data"]["_entities"][0];
            assert_eq!(
                user["name"], "private",
                "{engine}: public fields still resolve"
            );
            assert_eq!(user["email"], Value::Null, "{engine}: {body}");
            assert_eq!(user["addresses"], Value::Null);
            assert_eq!(error_codes(&body), [code, code], "{engine}: {body}");
        }
    }
}
