//! The checked-in SDL matches the code (and what the service serves).

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_checked_in_sdl_matches_the_code() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/catalog.graphql");
    let sdl = catalog::sdl();
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != sdl {
        std::fs::write(&path, &sdl).expect("rewriting schema/catalog.graphql");
        panic!(
            "schema/catalog.graphql drifted from the code; it has been rewritten, review and commit it"
        );
    }
    let app = spawn_app().await;
    let served = app.data("{ _service { sdl } }", json!({}), None).await;
    assert_eq!(served["_service"]["sdl"], sdl.as_str());
    for expected in [
        "type Product @key(fields: \"id\")",
        "type Category @key(fields: \"id\")",
        "type User @key(fields: \"id\")",
        "@requiresScopes(scopes: [[\"admin\"]])",
        "addReview(input: AddReviewInput!): ReviewPayload! @authenticated",
    ] {
        assert!(sdl.contains(expected), "the SDL lacks {expected}");
    }
}
