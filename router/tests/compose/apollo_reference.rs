//! Our supergraph against the one Apollo's composition produced for the same subgraphs
//! (`fixtures/compose/apollo/regenerate.sh` writes `supergraph.apollo.graphql`).

use crate::helpers::{compose_fixture, fixtures_root};

fn assert_same_as_apollo(set: &str) {
    let ours = compose_fixture(set);
    let path = fixtures_root().join(set).join("supergraph.apollo.graphql");
    let apollo = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    if ours.trim_end() != apollo.trim_end() {
        let diff: Vec<String> = diff_lines(apollo.trim_end(), ours.trim_end());
        panic!(
            "{set}: our supergraph differs from Apollo's (- apollo, + ours):\n{}",
            diff.join("\n")
        );
    }
}

/// A small line diff: lines only in one of the texts, in order.
fn diff_lines(expected: &str, actual: &str) -> Vec<String> {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut out = Vec::new();
    for line in &expected {
        if !actual.contains(line) {
            out.push(format!("- {line}"));
        }
    }
    for line in &actual {
        if !expected.contains(line) {
            out.push(format!("+ {line}"));
        }
    }
    if out.is_empty() {
        out.push("(same lines, different order)".to_owned());
    }
    out
}

#[test]
fn entities_compose_as_apollo_composes_them() {
    assert_same_as_apollo("entities");
}

#[test]
fn override_composes_as_apollo_composes_it() {
    assert_same_as_apollo("override");
}

#[test]
fn interface_object_composes_as_apollo_composes_it() {
    assert_same_as_apollo("interface_object");
}

#[test]
fn auth_directives_compose_as_apollo_composes_them() {
    assert_same_as_apollo("auth");
}

#[test]
fn renamed_imports_and_roots_compose_as_apollo_composes_them() {
    assert_same_as_apollo("renamed");
}

#[test]
fn a_mixed_federation_1_and_2_graph_composes_as_apollo_composes_it() {
    assert_same_as_apollo("variety");
}

#[test]
fn descriptions_defaults_and_deprecations_print_as_apollo_prints_them() {
    assert_same_as_apollo("printing");
}

#[test]
fn composed_directives_are_kept_as_apollo_keeps_them() {
    assert_same_as_apollo("composed_directives");
}

#[test]
fn federation_1_subgraphs_compose_as_apollo_composes_them() {
    assert_same_as_apollo("federation1");
}

#[test]
fn fields_and_values_left_out_are_reported_as_hints() {
    let supergraph =
        router::compose::compose(&crate::helpers::load_fixture("entities")).expect("composes");
    let hints = supergraph.hints().join("\n");
    assert!(hints.contains("\"UserFilter.nameContains\""), "{hints}");
    assert!(
        hints.contains("Value \"RANDOM\" of input enum \"SortOrder\""),
        "{hints}"
    );
}

/// Every fixture set with a recorded Apollo supergraph, including ones added later.
#[test]
fn every_recorded_fixture_set_composes_as_apollo_composes_it() {
    let mut sets: Vec<String> = std::fs::read_dir(fixtures_root())
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("supergraph.apollo.graphql").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    sets.sort();
    assert!(sets.len() >= 8, "{sets:?}");
    for set in sets {
        assert_same_as_apollo(&set);
    }
}
