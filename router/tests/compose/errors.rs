//! Each composition error kind, on fixture sets under `fixtures/compose/errors/` that
//! Apollo's composition also rejects: `apollo-errors.txt` holds the codes it reported
//! (written by `fixtures/compose/apollo/regenerate.sh`), and we must report the same.

use std::collections::BTreeSet;

use router::compose::{CompositionError, compose};

use crate::helpers::{fixtures_root, load_fixture, render};

fn errors_of(set: &str) -> Vec<CompositionError> {
    let set = format!("errors/{set}");
    match compose(&load_fixture(&set)) {
        Ok(supergraph) => panic!("{set} composed, but should fail:\n{}", supergraph.sdl()),
        Err(errors) => errors,
    }
}

/// Composes the failing set and checks we report exactly Apollo's error codes.
fn expect_apollo_codes(set: &str) -> Vec<CompositionError> {
    let errors = errors_of(set);
    let path = fixtures_root()
        .join("errors")
        .join(set)
        .join("apollo-errors.txt");
    let expected: BTreeSet<String> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect();
    let actual: BTreeSet<String> = errors.iter().map(|e| e.code.as_str().to_owned()).collect();
    assert_eq!(
        actual,
        expected,
        "{set}: our errors were:\n{}",
        render(&errors)
    );
    errors
}

/// The first error with `code`, which must name these subgraphs and this coordinate.
fn assert_names(errors: &[CompositionError], code: &str, subgraphs: &[&str], coordinate: &str) {
    let Some(error) = errors.iter().find(|e| e.code.as_str() == code) else {
        panic!("no {code} among:\n{}", render(errors));
    };
    let named: Vec<&str> = error.subgraphs.iter().map(String::as_str).collect();
    assert_eq!(named, subgraphs, "subgraphs of {error}");
    assert_eq!(
        error.coordinate().as_deref(),
        Some(coordinate),
        "coordinate of {error}"
    );
    let text = error.to_string();
    for subgraph in subgraphs {
        assert!(
            text.contains(subgraph),
            "{text} should name subgraph {subgraph}"
        );
    }
}

#[test]
fn conflicting_field_types_are_reported_with_both_subgraphs() {
    let errors = expect_apollo_codes("field_type_mismatch");
    assert_names(&errors, "FIELD_TYPE_MISMATCH", &["a", "b"], "Product.price");
    assert!(
        errors[0].message.contains("\"Int\"") && errors[0].message.contains("\"String\""),
        "{}",
        errors[0]
    );
}

#[test]
fn a_key_on_a_missing_field_is_reported() {
    let errors = expect_apollo_codes("key_on_missing_field");
    assert_names(&errors, "KEY_INVALID_FIELDS", &["a"], "Product");
    assert!(errors[0].message.contains("\"sku\""), "{}", errors[0]);
}

#[test]
fn a_value_type_field_in_two_subgraphs_must_be_shareable() {
    let errors = expect_apollo_codes("non_shareable_value_type");
    assert_names(
        &errors,
        "INVALID_FIELD_SHARING",
        &["a", "b"],
        "Money.amount",
    );
    assert!(
        errors
            .iter()
            .any(|e| e.coordinate().as_deref() == Some("Money.currency"))
    );
}

#[test]
fn a_non_key_entity_field_in_two_subgraphs_must_be_shareable() {
    let errors = expect_apollo_codes("non_shareable_entity_field");
    assert_names(
        &errors,
        "INVALID_FIELD_SHARING",
        &["a", "b"],
        "Product.name",
    );
    // Key fields are shareable without saying so.
    assert!(
        !errors
            .iter()
            .any(|e| e.coordinate().as_deref() == Some("Product.id")),
        "{}",
        render(&errors)
    );
}

#[test]
fn a_field_no_subgraph_can_reach_is_reported() {
    let errors = expect_apollo_codes("unresolvable_field");
    assert_names(&errors, "SATISFIABILITY_ERROR", &["b", "a"], "Product.id");
    assert!(
        errors
            .iter()
            .any(|e| e.coordinate().as_deref() == Some("Product.name")),
        "{}",
        render(&errors)
    );
}

#[test]
fn a_field_external_everywhere_is_reported() {
    let errors = expect_apollo_codes("external_missing_on_base");
    assert_names(
        &errors,
        "EXTERNAL_MISSING_ON_BASE",
        &["a"],
        "Product.weight",
    );
}

#[test]
fn an_enum_used_both_ways_must_have_the_same_values_everywhere() {
    let errors = expect_apollo_codes("enum_value_mismatch");
    assert_names(&errors, "ENUM_VALUE_MISMATCH", &["a", "b"], "Role.CUSTOMER");
    assert!(
        errors
            .iter()
            .any(|e| e.coordinate().as_deref() == Some("Role.STAFF"))
    );
}

#[test]
fn a_required_argument_missing_elsewhere_is_reported() {
    let errors = expect_apollo_codes("required_argument_missing");
    assert_names(
        &errors,
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        &["a", "b"],
        "Query.search",
    );
}

#[test]
fn a_required_input_field_missing_elsewhere_is_reported() {
    let errors = expect_apollo_codes("required_input_field_missing");
    assert_names(
        &errors,
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        &["a", "b"],
        "Filter.text",
    );
}

#[test]
fn a_type_with_different_kinds_is_reported() {
    let errors = expect_apollo_codes("type_kind_mismatch");
    assert_names(&errors, "TYPE_KIND_MISMATCH", &["a", "b"], "Node");
}

#[test]
fn unparsable_sdl_is_reported_for_its_subgraph() {
    let errors = expect_apollo_codes("invalid_sdl");
    assert_eq!(errors[0].subgraphs, ["a"]);
}

#[test]
fn requires_of_a_missing_field_is_reported() {
    let errors = expect_apollo_codes("requires_missing_field");
    assert_names(
        &errors,
        "REQUIRES_INVALID_FIELDS",
        &["a"],
        "Product.shipping",
    );
}

#[test]
fn provides_of_a_missing_field_is_reported() {
    let errors = expect_apollo_codes("provides_missing_field");
    assert_names(&errors, "PROVIDES_INVALID_FIELDS", &["a"], "Query.product");
    assert_names(&errors, "EXTERNAL_UNUSED", &["a"], "Product.name");
}

#[test]
fn overriding_a_field_from_its_own_subgraph_is_reported() {
    let errors = expect_apollo_codes("override_from_self");
    assert_names(&errors, "OVERRIDE_FROM_SELF_ERROR", &["a"], "Product.name");
}

#[test]
fn different_argument_defaults_are_reported() {
    let errors = expect_apollo_codes("argument_default_mismatch");
    assert_names(
        &errors,
        "FIELD_ARGUMENT_DEFAULT_MISMATCH",
        &["a", "b"],
        "Query.list",
    );
}

#[test]
fn a_reference_to_an_undefined_type_is_reported() {
    let errors = expect_apollo_codes("unknown_type");
    assert_names(&errors, "INVALID_GRAPHQL", &["a"], "Query.product");
}

#[test]
fn two_subgraphs_with_one_name_are_rejected() {
    let sdl = "type Query { a: Int }";
    let subgraphs = [
        router::compose::SubgraphDefinition::new("x", "http://x", sdl),
        router::compose::SubgraphDefinition::new("x", "http://y", sdl),
    ];
    let errors = compose(&subgraphs).expect_err("duplicate names must fail");
    assert_eq!(errors[0].code.as_str(), "INVALID_SUBGRAPH_NAME");
}

#[test]
fn context_directives_are_reported_as_unsupported() {
    let sdl = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@context", "@fromContext"])
type Query { shop: Shop }
type Shop @context(name: "shop") { id: ID! currency: String item: Item }
type Item { price(currency: String @fromContext(field: "$shop { currency }")): Int }
"#;
    let errors = compose(&[router::compose::SubgraphDefinition::new(
        "a", "http://a", sdl,
    )])
    .expect_err("unsupported");
    assert_eq!(
        errors[0].code.as_str(),
        "UNSUPPORTED_FEATURE",
        "{}",
        render(&errors)
    );
    assert_eq!(errors[0].subgraphs, ["a"]);
}

#[test]
fn imported_spec_types_do_not_reach_the_supergraph() {
    let sdl = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes", "Scope"])
scalar Scope
type Query { secret: String @requiresScopes(scopes: [["admin"]]) }
"#;
    let supergraph = compose(&[router::compose::SubgraphDefinition::new(
        "a", "http://a", sdl,
    )])
    .expect("composes");
    assert!(!supergraph.sdl().contains("scalar Scope"), "{supergraph}");
    assert!(
        supergraph
            .sdl()
            .contains("secret: String @requiresScopes(scopes: [[\"admin\"]])"),
        "{supergraph}"
    );
}

#[test]
fn a_visible_field_of_an_inaccessible_type_is_reported() {
    let errors = expect_apollo_codes("inaccessible_type_referenced");
    assert_names(&errors, "REFERENCED_INACCESSIBLE", &["a"], "Query.secret");
}

#[test]
fn a_required_inaccessible_argument_is_reported() {
    let errors = expect_apollo_codes("inaccessible_required_argument");
    assert_names(&errors, "REQUIRED_INACCESSIBLE", &["a"], "Query.find");
}

#[test]
fn a_visible_type_with_only_inaccessible_fields_is_reported() {
    let errors = expect_apollo_codes("inaccessible_only_children");
    assert_names(&errors, "ONLY_INACCESSIBLE_CHILDREN", &["a"], "Thing");
}

#[test]
fn hiding_an_interface_field_on_an_implementation_is_reported() {
    let errors = expect_apollo_codes("inaccessible_implementation_field");
    assert_names(&errors, "IMPLEMENTED_BY_INACCESSIBLE", &["a"], "User.name");
}

#[test]
fn an_implementation_missing_an_interface_field_is_reported() {
    let errors = expect_apollo_codes("interface_field_missing");
    assert_names(&errors, "INVALID_GRAPHQL", &["a"], "User.name");
}

#[test]
fn a_composed_directive_without_a_linked_spec_is_reported() {
    let errors = expect_apollo_codes("compose_directive_unlinked");
    assert_eq!(errors[0].subgraphs, ["a"]);
    assert!(errors[0].message.contains("@cache"), "{}", errors[0]);
}

/// Every recorded failing set, including ones without a test of their own above.
#[test]
fn every_recorded_error_case_reports_apollos_codes() {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures_root().join("errors"))
        .expect("error fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("apollo-errors.txt").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "{cases:?}");
    for case in cases {
        expect_apollo_codes(&case);
    }
}
