use std::path::PathBuf;

use router::compose::{CompositionError, SubgraphDefinition, compose};

pub fn fixtures_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose")
}

/// The subgraph SDLs of one fixture set: every `<name>.graphql` except reference outputs,
/// routed at `http://<name>.example/graphql` (as the Apollo reference script does).
pub fn load_fixture(set: &str) -> Vec<SubgraphDefinition> {
    let dir = fixtures_root().join(set);
    let mut subgraphs: Vec<SubgraphDefinition> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "graphql"))
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("supergraph"))
        })
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sdl = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            SubgraphDefinition::new(name.clone(), format!("http://{name}.example/graphql"), sdl)
        })
        .collect();
    subgraphs.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!subgraphs.is_empty(), "fixture set {set} has no subgraphs");
    subgraphs
}

pub fn compose_fixture(set: &str) -> String {
    match compose(&load_fixture(set)) {
        Ok(supergraph) => supergraph.into_sdl(),
        Err(errors) => panic!("composing {set} failed:\n{}", render(&errors)),
    }
}

pub fn render(errors: &[CompositionError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
