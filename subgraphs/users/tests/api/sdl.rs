//! The checked-in SDL is what the service serves.

use std::path::PathBuf;

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_served_sdl_matches_schema_users_graphql() {
    let app = spawn_app(platform::testing::TestEngine::Sqlite).await;
    let served = app.gql("{ _service { sdl } }", json!({}), None).await["data"]["_service"]["sdl"]
        .as_str()
        .expect("an SDL")
        .to_owned();
    assert_eq!(served, users::sdl(), "users::sdl() is what _service serves");

    // The federation auth directives are declared and imported.
    assert!(
        served.contains("\"@requiresScopes\", \"@authenticated\"]"),
        "{served}"
    );
    assert!(
        served.contains("type User @key(fields: \"id\")"),
        "{served}"
    );
    assert!(served.contains("email: String @authenticated"), "{served}");
    assert!(
        served.contains("@requiresScopes(scopes: [[\"admin\"]])"),
        "{served}"
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/users.graphql");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != served {
        std::fs::write(&path, &served).expect("rewriting schema/users.graphql");
        panic!("schema/users.graphql drifted from the code; it has been rewritten, commit it");
    }
}

#[tokio::test]
async fn health_answers_while_the_database_does() {
    for engine in crate::helpers::all_engines() {
        let app = spawn_app(engine).await;
        let response = app.get("/health").await;
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{engine}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}
