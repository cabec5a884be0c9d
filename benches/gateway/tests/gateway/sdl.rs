//! The SDL checked in under benches/gateway/schema/ is what the subgraphs
//! serve, and benches/config/gateway.supergraph.yaml composes it.

use gateway_subgraphs::Answers;
use serde_json::Value;

use crate::helpers::benches_dir;

#[tokio::test]
async fn the_checked_in_sdl_is_what_each_subgraph_serves() {
    let client = reqwest::Client::new();
    let mut drifted = Vec::new();
    for subgraph in gateway_subgraphs::subgraphs(Answers::Executed) {
        let exported = subgraph.sdl.clone();
        let bound = subgraph.bind(0).await.expect("subgraph binds");
        let url = bound.url();
        let name = bound.name;
        tokio::spawn(bound.run_until_stopped(std::future::pending()));
        let served: Value = client
            .post(&url)
            .json(&serde_json::json!({ "query": "{ _service { sdl } }" }))
            .send()
            .await
            .expect("the subgraph answers")
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            served["data"]["_service"]["sdl"],
            exported.as_str(),
            "{name}"
        );

        let path = benches_dir().join(format!("gateway/schema/{name}.graphql"));
        if std::fs::read_to_string(&path).unwrap_or_default() != exported {
            std::fs::write(&path, &exported).expect("rewriting the checked-in SDL");
            drifted.push(path.display().to_string());
        }
    }
    assert!(
        drifted.is_empty(),
        "{drifted:?} drifted from the code; rewritten, commit them"
    );
}

#[tokio::test]
async fn the_benchmark_supergraph_config_composes_the_four_subgraphs() {
    let path = benches_dir().join("config/gateway.supergraph.yaml");
    let subgraphs = router::compose::load_subgraphs(&path)
        .await
        .expect("the config and its SDL files load");
    let routing: Vec<(&str, &str)> = subgraphs
        .iter()
        .map(|s| (s.name.as_str(), s.url.as_str()))
        .collect();
    // The ports the gateway-subgraphs binary listens on by default.
    assert_eq!(
        routing,
        [
            ("accounts", "http://127.0.0.1:4301/graphql"),
            ("inventory", "http://127.0.0.1:4302/graphql"),
            ("products", "http://127.0.0.1:4303/graphql"),
            ("reviews", "http://127.0.0.1:4304/graphql"),
        ]
    );
    router::compose::compose(&subgraphs)
        .unwrap_or_else(|errors| panic!("gateway.supergraph.yaml composes: {errors:?}"));
}
