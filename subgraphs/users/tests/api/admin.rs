//! Administration: listing, searching, freezing; and the demo seed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, Session, TestApp, all_engines, codes, error_codes, spawn_app_on, spawn_seeded_app,
};

const USERS: &str = "query($search: String, $first: Int, $after: String) { \
    users(search: $search, first: $first, after: $after) { \
    edges { cursor node { id name email } } pageInfo { hasNextPage endCursor } } }";
const FREEZE: &str =
    "mutation($id: ID!) { freezeUser(id: $id) { user { id frozen } errors { code } } }";
const UNFREEZE: &str =
    "mutation($id: ID!) { unfreezeUser(id: $id) { user { id frozen } errors { code } } }";

fn names(page: &Value) -> Vec<String> {
    page["data"]["users"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges in {page}"))
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_admin_lists_and_searches_users_page_by_page() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        let admin = app.admin().await;
        let marker = format!("m{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        for i in 0..3 {
            app.new_customer(&format!("{marker}-{i}")).await;
        }
        let (_, customer) = app.new_customer("plain").await;

        let all = app
            .gql(USERS, json!({ "first": 100 }), Some(&admin.access))
            .await;
        assert_eq!(names(&all).len(), 6, "{engine}: 2 demo accounts + 4: {all}");

        let first = app
            .gql(
                USERS,
                json!({ "search": marker.to_uppercase(), "first": 2 }),
                Some(&admin.access),
            )
            .await;
        assert_eq!(
            names(&first),
            [format!("{marker}-0"), format!("{marker}-1")],
            "{engine}: {first}"
        );
        assert_eq!(first["data"]["users"]["pageInfo"]["hasNextPage"], true);
        assert!(
            first["data"]["users"]["edges"][0]["node"]["email"].is_string(),
            "admins see emails"
        );
        let after = first["data"]["users"]["pageInfo"]["endCursor"].clone();
        let second = app
            .gql(
                USERS,
                json!({ "search": marker, "first": 2, "after": after }),
                Some(&admin.access),
            )
            .await;
        assert_eq!(names(&second), [format!("{marker}-2")], "{engine}");
        assert_eq!(second["data"]["users"]["pageInfo"]["hasNextPage"], false);

        let by_email = app
            .gql(
                USERS,
                json!({ "search": "ADMIN@shopgraph" }),
                Some(&admin.access),
            )
            .await;
        assert_eq!(names(&by_email), ["Demo Admin"], "{engine}");
        let wildcard = app
            .gql(USERS, json!({ "search": "%" }), Some(&admin.access))
            .await;
        assert_eq!(
            names(&wildcard),
            Vec::<String>::new(),
            "{engine}: % is literal"
        );

        for variables in [
            json!({ "after": "garbage" }),
            json!({ "first": -1 }),
            json!({ "first": 101 }),
        ] {
            let bad = app.gql(USERS, variables.clone(), Some(&admin.access)).await;
            assert_eq!(
                error_codes(&bad),
                ["BAD_USER_INPUT"],
                "{engine}: {variables}"
            );
        }
        let forbidden = app.gql(USERS, json!({}), Some(&customer.access)).await;
        assert_eq!(error_codes(&forbidden), ["FORBIDDEN"], "{engine}");
        assert_eq!(
            error_codes(&app.gql(USERS, json!({}), None).await),
            ["UNAUTHENTICATED"]
        );
    }
}

async fn freeze(app: &TestApp, admin: &Session, query: &str, id: &str) -> Value {
    let body = app
        .gql(query, json!({ "id": id }), Some(&admin.access))
        .await;
    let field = if query == FREEZE {
        "freezeUser"
    } else {
        "unfreezeUser"
    };
    body["data"][field].clone()
}

#[tokio::test]
async fn a_frozen_user_cannot_log_in_refresh_or_act_until_unfrozen() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        let admin = app.admin().await;
        let (email, victim) = app.new_customer("frozen").await;

        let frozen = freeze(&app, &admin, FREEZE, &victim.user_id).await;
        assert_eq!(frozen["user"]["frozen"], true, "{engine}: {frozen}");
        assert_eq!(
            codes(&app.login(&email, PASSWORD).await),
            ["ACCOUNT_FROZEN"],
            "{engine}"
        );
        assert_eq!(
            codes(&app.refresh(&victim.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
        // The still-unexpired access token is revoked.
        let (status, body) = app
            .post(
                "{ me { id } }",
                json!({}),
                Some(&format!("Bearer {}", victim.access)),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{engine}: {body}");
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{engine}");
        // A wrong password for a frozen account says nothing about freezing.
        assert_eq!(
            codes(&app.login(&email, "wrong-pass-1").await),
            ["INVALID_CREDENTIALS"]
        );

        let thawed = freeze(&app, &admin, UNFREEZE, &victim.user_id).await;
        assert_eq!(thawed["user"]["frozen"], false, "{engine}");
        // Revocation counts in whole seconds (a token's `iat`): a token from
        // a later second passes.
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let session = Session::from_payload(&app.login(&email, PASSWORD).await);
        assert_eq!(app.me(&session.access).await["data"]["me"]["frozen"], false);
        // Tokens revoked by the freeze stay dead.
        assert_eq!(
            codes(&app.refresh(&victim.refresh).await),
            ["INVALID_REFRESH_TOKEN"]
        );

        assert_eq!(
            codes(&freeze(&app, &admin, FREEZE, "no-such-user").await),
            ["NOT_FOUND"]
        );
        assert_eq!(
            codes(&freeze(&app, &admin, FREEZE, &admin.user_id).await),
            ["CANNOT_FREEZE_SELF"]
        );
        let by_customer = app
            .gql(
                FREEZE,
                json!({ "id": admin.user_id }),
                Some(&session.access),
            )
            .await;
        assert_eq!(error_codes(&by_customer), ["FORBIDDEN"], "{engine}");
        Session::from_payload(
            &app.login(users::DEMO_ADMIN_EMAIL, users::DEMO_ADMIN_PASSWORD)
                .await,
        );
    }
}

#[tokio::test]
async fn the_demo_seed_creates_its_accounts_once() {
    for engine in all_engines() {
        let app = spawn_seeded_app(engine).await;
        // Starting again with seeding on must not create anything twice.
        let again = spawn_app_on(app.database_url.clone(), true).await;
        users::seed_demo(&platform::db::Db::connect(&app.database_url).await.unwrap())
            .await
            .expect("seeding a seeded database is fine");

        let admin = again.admin().await;
        let demo = again
            .gql(
                USERS,
                json!({ "search": "@shopgraph.dev" }),
                Some(&admin.access),
            )
            .await;
        assert_eq!(names(&demo).len(), 2, "{engine}: {demo}");

        let customer = again
            .login(users::DEMO_CUSTOMER_EMAIL, users::DEMO_CUSTOMER_PASSWORD)
            .await;
        let customer = Session::from_payload(&customer);
        let me = again.me(&customer.access).await;
        assert_eq!(me["data"]["me"]["role"], "CUSTOMER", "{engine}");
        assert_eq!(
            me["data"]["me"]["addresses"].as_array().map(Vec::len),
            Some(1),
            "{engine}: {me}"
        );
        assert_eq!(again.me(&admin.access).await["data"]["me"]["role"], "ADMIN");
        let viewer = platform::auth::JwtVerifier::new(platform::auth::JwksSource::Url(format!(
            "{}/.well-known/jwks.json",
            again.base
        )))
        .verify(&admin.access)
        .await
        .unwrap();
        assert!(
            viewer.is_admin(),
            "the admin's token carries the admin scope"
        );
    }
}
