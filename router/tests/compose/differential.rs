//! The Rust half of `fixtures/compose/apollo/differential/run.sh`, which composes random
//! subgraph sets with Apollo's composition and with ours and compares: composes the set
//! in `COMPOSE_DIFFERENTIAL_DIR` into `ours.out`, or its error codes into `ours.err`.
//! Ignored in normal runs, since it needs a generated case.

use router::compose::{SubgraphDefinition, compose};

#[test]
#[ignore = "run by fixtures/compose/apollo/differential/run.sh"]
fn compose_one_differential_case() {
    let dir = std::env::var("COMPOSE_DIFFERENTIAL_DIR")
        .expect("COMPOSE_DIFFERENTIAL_DIR names a case folder");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("case folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .collect();
    paths.sort();
    let subgraphs: Vec<SubgraphDefinition> = paths
        .iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sdl = std::fs::read_to_string(path).expect("subgraph SDL");
            SubgraphDefinition::new(name.clone(), format!("http://{name}.example/graphql"), sdl)
        })
        .collect();
    match compose(&subgraphs) {
        Ok(supergraph) => {
            std::fs::write(format!("{dir}/ours.out"), supergraph.sdl().trim_end()).expect("write")
        }
        Err(errors) => {
            let mut codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            std::fs::write(format!("{dir}/ours.err"), codes.join("\n") + "\n").expect("write");
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            std::fs::write(format!("{dir}/ours.log"), messages.join("\n")).expect("write");
        }
    }
}
