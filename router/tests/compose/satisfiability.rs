//! Scenarios for the satisfiability check, each recorded with Apollo's outcome: either
//! the supergraph it composed (`supergraph.apollo.graphql`, which we must reproduce) or
//! the error codes it reported (`apollo-errors.txt`, which we must report too).

use std::collections::BTreeSet;

use router::compose::compose;

use crate::helpers::{fixtures_root, load_fixture, render};

fn assert_like_apollo(case: &str) {
    assert_like_apollo_in("satisfiability", case);
}

fn assert_like_apollo_in(folder: &str, case: &str) {
    let dir = fixtures_root().join(folder).join(case);
    let result = compose(&load_fixture(&format!("{folder}/{case}")));
    if let Ok(expected) = std::fs::read_to_string(dir.join("supergraph.apollo.graphql")) {
        match result {
            Ok(supergraph) => {
                assert_eq!(supergraph.sdl().trim_end(), expected.trim_end(), "{case}")
            }
            Err(errors) => panic!(
                "{case}: Apollo composes it, we report:\n{}",
                render(&errors)
            ),
        }
        return;
    }
    let expected: BTreeSet<String> = std::fs::read_to_string(dir.join("apollo-errors.txt"))
        .unwrap_or_else(|e| panic!("{case} has no Apollo outcome recorded: {e}"))
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    match result {
        Ok(supergraph) => {
            panic!("{case}: Apollo rejects it ({expected:?}), we composed:\n{supergraph}")
        }
        Err(errors) => {
            let codes: BTreeSet<String> =
                errors.iter().map(|e| e.code.as_str().to_owned()).collect();
            assert_eq!(codes, expected, "{case}:\n{}", render(&errors));
        }
    }
}

#[test]
fn a_value_type_field_only_another_subgraph_has_is_unsatisfiable() {
    assert_like_apollo("value_type_extra_field");
    let errors =
        compose(&load_fixture("satisfiability/value_type_extra_field")).expect_err("fails");
    assert!(
        errors[0].message.contains("Query.t.y"),
        "the error shows the query path: {}",
        errors[0]
    );
}

#[test]
fn a_non_resolvable_reference_can_still_jump_to_the_owner() {
    assert_like_apollo("non_resolvable_reference");
}

#[test]
fn keys_chain_through_an_intermediate_subgraph() {
    assert_like_apollo("two_hop_keys");
}

#[test]
fn an_entity_known_by_a_key_nobody_else_has_is_unsatisfiable() {
    assert_like_apollo("key_field_missing_everywhere");
}

#[test]
fn requires_across_subgraphs_is_satisfiable() {
    assert_like_apollo("requires_across_subgraphs");
}

#[test]
fn a_provides_path_is_satisfiable() {
    assert_like_apollo("provides_only_path");
}

#[test]
fn union_member_entities_resolve_their_other_fields() {
    assert_like_apollo("union_member_entity");
}

#[test]
fn interface_object_fields_resolve_for_implementations() {
    assert_like_apollo("interface_object_from_impl");
}

#[test]
fn a_mutation_returning_an_entity_reaches_its_other_fields() {
    assert_like_apollo("mutation_entity");
}

#[test]
fn a_shareable_root_field_can_be_served_by_the_subgraph_with_more_fields() {
    assert_like_apollo("shared_root_value_type");
}

/// Every recorded scenario, including ones without a test of their own above.
#[test]
fn every_recorded_scenario_matches_apollo() {
    every_case_in("satisfiability", 10);
}

/// Subgraph sets where a differential run against Apollo's composition (random subgraph
/// sets composed by both) once found us disagreeing: @external type and argument rules,
/// defaults only some subgraphs give, invalid default values, `@join__field` argument
/// order, @override of an overriding field, @inaccessible fields in satisfiability,
/// directive order, authorization propagated to interfaces.
#[test]
fn differential_regressions_match_apollo() {
    every_case_in("regressions", 16);
}

fn every_case_in(folder: &str, at_least: usize) {
    let dir = fixtures_root().join(folder);
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("satisfiability fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= at_least, "{cases:?}");
    for case in cases {
        assert_like_apollo_in(folder, &case);
    }
}
