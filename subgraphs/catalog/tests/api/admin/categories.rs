//! Categories: created and moved, at most three levels deep.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn categories_are_created_and_moved_within_three_levels() {
    let app = spawn_app().await;
    let a = app.create_category("A", None).await;
    let b = app.create_category("B", None).await;
    let a1 = app.create_category("A1", Some(&a)).await;
    let a11 = app.create_category("A11", Some(&a1)).await;
    let create = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } errors { code field } } }";
    let data = app
        .data(
            create,
            json!({ "input": { "name": "too deep", "parentId": a11 } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["createCategory"]["errors"][0]["code"], "TOO_DEEP");
    let data = app
        .data(
            create,
            json!({ "input": { "name": "x".repeat(51) } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(
        data["createCategory"]["errors"][0]["code"],
        "INVALID_LENGTH"
    );

    let r#move = "mutation($input: MoveCategoryInput!) { moveCategory(input: $input) { category { id level parent { id } } errors { code } } }";
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a, "parentId": a11 } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["errors"][0]["code"], "CYCLE");
    // A1 (with A11 below) under B: levels 2 and 3, fine.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a1, "parentId": b } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["category"]["parent"]["id"], b.as_str());
    // B (with A1, A11) under A would be four levels.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": b, "parentId": a } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["errors"][0]["code"], "TOO_DEEP");
    // A11 to the top level.
    let data = app
        .data(
            r#move,
            json!({ "input": { "id": a11 } }),
            Some(&app.tokens.admin()),
        )
        .await;
    assert_eq!(data["moveCategory"]["category"]["level"], 1);

    let tree = app
        .data(
            "{ categories { name children { name children { name } } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(
        tree["categories"],
        json!([
            { "name": "A", "children": [] },
            { "name": "B", "children": [{ "name": "A1", "children": [] }] },
            { "name": "A11", "children": [] }
        ])
    );
}
