//! Composition takes SDL from files and from whatever a subgraph URL answers: broken
//! input must give errors, never a panic.

use router::compose::{SubgraphDefinition, compose};

use crate::helpers::load_fixture;

/// Every prefix (in steps) of every subgraph of a fixture set, composed with the intact
/// other subgraphs: a truncated download or a half-written file.
#[test]
fn truncated_subgraph_sdl_never_panics() {
    for set in [
        "entities",
        "variety",
        "interface_object",
        "override",
        "auth",
        "printing",
    ] {
        let subgraphs = load_fixture(set);
        for (i, subgraph) in subgraphs.iter().enumerate() {
            let boundaries: Vec<usize> = subgraph
                .sdl
                .char_indices()
                .map(|(at, _)| at)
                .step_by(5)
                .collect();
            for cut in boundaries {
                let mut broken = subgraphs.clone();
                broken[i] = SubgraphDefinition::new(
                    subgraph.name.clone(),
                    subgraph.url.clone(),
                    &subgraph.sdl[..cut],
                );
                let _ = compose(&broken);
            }
        }
    }
}

#[test]
fn hostile_field_sets_and_links_are_errors() {
    let cases = [
        r#"type Query { a: T } type T @key(fields: "id } query Q { x") { id: ID! }"#,
        r#"type Query { a: T } type T @key(fields: "...F") { id: ID! }"#,
        r#"type Query { a: T } type T @key(fields: "") { id: ID! }"#,
        r#"type Query { a: T } type T @key(fields: 42) { id: ID! }"#,
        r#"type Query { a: T } type T @key(fields: "id { nested }") { id: ID! }"#,
        r#"type Query { a: T @provides(fields: "x { y }") } type T @key(fields: "id") { id: ID! x: Int @external }"#,
        r#"extend schema @link(url: 42) type Query { a: Int }"#,
        r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [1, {as: "@k"}]) type Query { a: Int }"#,
        r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: "@key") type Query { a: Int }"#,
        r#"type Query { a: Int @requiresScopes(scopes: 5) }"#,
        r#"type Query { a: Int @tag }"#,
        r#"schema { query: Query query: Other } type Query { a: Int } type Other { b: Int }"#,
        r#"type Query { a: Int } extend type Query { a: String }"#,
        r#"type Query { a: Int } interface Query { a: Int }"#,
        r#"type Query { a: Int } union U = Query | Missing"#,
    ];
    for sdl in cases {
        let result = compose(&[SubgraphDefinition::new("a", "http://a", sdl)]);
        match result {
            Err(errors) => assert!(
                errors.iter().all(|e| e.subgraphs == ["a"]),
                "{sdl}: {errors:?}"
            ),
            Ok(supergraph) => panic!("{sdl} should not compose:\n{supergraph}"),
        }
    }
}
