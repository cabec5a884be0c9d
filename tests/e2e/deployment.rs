//! The files that deploy the platform: compose.yaml and the checked-in
//! supergraph.

use std::collections::BTreeSet;

use router::compose::{SubgraphDefinition, compose};
use serde_yaml::Value;

use crate::helpers::repo_path;

/// The ShopGraph services, their port, and the backends each one needs.
const SERVICES: [(&str, u16, &[&str]); 5] = [
    ("users", 4001, &["postgres"]),
    ("catalog", 4002, &["postgres", "redis", "rabbitmq", "users"]),
    (
        "orders",
        4003,
        &["postgres", "redis", "rabbitmq", "catalog"],
    ),
    (
        "search",
        4004,
        &["postgres", "rabbitmq", "elasticsearch", "catalog"],
    ),
    ("router", 4000, &["users", "catalog", "orders", "search"]),
];

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Sequence(items) => items.iter().map(text).collect::<Vec<_>>().join(" "),
        other => serde_yaml::to_string(other).unwrap_or_default(),
    }
}

#[test]
fn compose_yaml_gives_every_service_a_healthcheck_and_its_backends() {
    let raw = std::fs::read_to_string(repo_path("compose.yaml")).expect("compose.yaml");
    let mut document: Value = serde_yaml::from_str(&raw).expect("compose.yaml is YAML");
    // `<<: *anchor` merge keys, as Compose applies them.
    document.apply_merge().expect("merge keys resolve");
    let services = document["services"].as_mapping().expect("a services map");

    for (name, port, needs) in SERVICES {
        let service = &services[name];
        assert!(service.is_mapping(), "compose.yaml has no {name} service");
        let check = text(&service["healthcheck"]["test"]);
        assert!(
            check.contains(&format!("localhost:{port}/health")),
            "{name}'s healthcheck does not probe its own /health: {check}"
        );
        let depends: BTreeSet<String> = service["depends_on"]
            .as_mapping()
            .map(|m| m.keys().map(text).collect())
            .unwrap_or_default();
        for need in needs {
            assert!(
                depends.contains(*need),
                "{name} does not depend on {need}: {depends:?}"
            );
            let condition = text(&service["depends_on"][*need]["condition"]);
            assert_eq!(condition, "service_healthy", "{name} → {need}");
            assert!(
                services[*need]["healthcheck"].is_mapping(),
                "{need}, which {name} waits for, has no healthcheck"
            );
        }
        let env = &service["environment"];
        let command = text(&service["command"]);
        assert!(command.starts_with(name), "{name} runs `{command}`");
        if name != "router" {
            let url = text(&env["DATABASE_URL"]);
            assert!(
                url.starts_with("postgres://") && url.ends_with(&format!("/{name}")),
                "{name}: {url}"
            );
            assert!(
                text(&env["LISTEN_ADDR"]).ends_with(&format!(":{port}")),
                "{name}"
            );
        }
        for (key, expected) in [("REDIS_URL", "redis://"), ("AMQP_URL", "amqp://")] {
            assert!(text(&env[key]).starts_with(expected), "{name}: {key}");
        }
    }
    let search_env = &services["search"]["environment"];
    assert!(text(&search_env["ELASTICSEARCH_URL"]).starts_with("http://elasticsearch:9200"));
    let router_env = &services["router"]["environment"];
    for (subgraph, port, _) in &SERVICES[..4] {
        let key = format!("SUBGRAPH_URL_{}", subgraph.to_uppercase());
        assert_eq!(
            text(&router_env[key.as_str()]),
            format!("http://{subgraph}:{port}/graphql")
        );
    }
}

#[test]
fn compose_yaml_keeps_the_sandbox_provider_from_confirming_payments_by_itself() {
    let raw = std::fs::read_to_string(repo_path("compose.yaml")).expect("compose.yaml");
    let mut compose: Value = serde_yaml::from_str(&raw).expect("compose.yaml is YAML");
    compose.apply_merge().expect("merge keys resolve");
    let env = &compose["services"]["orders"]["environment"];
    assert_eq!(
        text(&env["SANDBOX_AUTO_CONFIRM"]),
        "0",
        "switched off explicitly, whatever the service's default"
    );
}

/// Composes the subgraphs' SDL as the code exports it, with the local
/// routing URLs of router-config/supergraph.yaml.
fn composed_from_code() -> String {
    let subgraphs = [
        ("users", 4001, users::sdl()),
        ("catalog", 4002, catalog::sdl()),
        ("orders", 4003, orders::sdl()),
        ("search", 4004, search::sdl()),
    ]
    .map(|(name, port, sdl)| {
        SubgraphDefinition::new(name, format!("http://127.0.0.1:{port}/graphql"), sdl)
    });
    match compose(&subgraphs) {
        Ok(supergraph) => supergraph.into_sdl(),
        Err(errors) => {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("the subgraphs do not compose:\n{}", list.join("\n"))
        }
    }
}

#[tokio::test]
async fn the_checked_in_supergraph_is_what_composition_produces() {
    let expected = composed_from_code();
    let path = repo_path("schema/supergraph.graphql");
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() != Some(expected.as_str()) {
        std::fs::write(&path, &expected).expect("rewriting schema/supergraph.graphql");
        panic!(
            "schema/supergraph.graphql drifted from the subgraphs' SDL; it was rewritten, review and commit it"
        );
    }
    // `shopgraph compose` reads the checked-in subgraph SDL files through
    // router-config/supergraph.yaml; it must come to the same text.
    let from_config =
        router::compose::compose_from_config(repo_path("router-config/supergraph.yaml"))
            .await
            .expect("router-config/supergraph.yaml composes");
    assert!(
        from_config == expected,
        "`shopgraph compose` differs from composing the code's SDL (is a schema/<service>.graphql stale?)"
    );
}
