//! supergraph.yaml: SDL from files, inline, and from a running subgraph's
//! `_service { sdl }` (a real async-graphql federation server on a local port).

use std::path::PathBuf;

use async_graphql::{EmptyMutation, EmptySubscription, ID, Object, Schema, SimpleObject};
use router::compose::{SchemaSource, SupergraphConfig, compose_from_config, load_subgraphs};

use crate::helpers::fixtures_root;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("compose-config-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[tokio::test]
async fn file_sources_are_read_relative_to_the_config() {
    let dir = temp_dir("files");
    let entities = fixtures_root().join("entities");
    let mut yaml = String::from("subgraphs:\n");
    for name in ["accounts", "inventory", "products", "reviews"] {
        yaml.push_str(&format!(
            "  {name}:\n    routing_url: http://{name}.example/graphql\n    schema:\n      file: {}\n",
            entities.join(format!("{name}.graphql")).display()
        ));
    }
    let config = dir.join("supergraph.yaml");
    std::fs::write(&config, yaml).expect("write config");
    let sdl = compose_from_config(&config).await.expect("composes");
    let apollo =
        std::fs::read_to_string(entities.join("supergraph.apollo.graphql")).expect("reference");
    assert_eq!(sdl.trim_end(), apollo.trim_end());

    // Relative paths resolve against the config's folder.
    let relative = dir.join("relative.yaml");
    std::fs::copy(
        entities.join("accounts.graphql"),
        dir.join("accounts.graphql"),
    )
    .expect("copy");
    std::fs::write(&relative, "subgraphs:\n  accounts:\n    routing_url: http://a\n    schema:\n      file: accounts.graphql\n")
        .expect("write");
    let subgraphs = load_subgraphs(&relative).await.expect("loads");
    assert_eq!(subgraphs[0].name, "accounts");
    assert!(subgraphs[0].sdl.contains("type User"));
}

#[tokio::test]
async fn composition_errors_come_back_as_one_error_listing_them() {
    let dir = temp_dir("errors");
    let config = dir.join("supergraph.yaml");
    let case = fixtures_root().join("errors/field_type_mismatch");
    std::fs::write(
        &config,
        format!(
            "subgraphs:\n  a:\n    routing_url: http://a\n    schema:\n      file: {}\n  b:\n    routing_url: http://b\n    schema:\n      file: {}\n",
            case.join("a.graphql").display(),
            case.join("b.graphql").display()
        ),
    )
    .expect("write");
    let error = compose_from_config(&config)
        .await
        .expect_err("must fail")
        .to_string();
    assert!(
        error.contains("FIELD_TYPE_MISMATCH") && error.contains("Product.price"),
        "{error}"
    );
}

#[tokio::test]
async fn bad_configs_are_rejected_with_context() {
    let dir = temp_dir("bad");
    let missing = dir.join("missing.yaml");
    std::fs::write(
        &missing,
        "subgraphs:\n  a:\n    routing_url: http://a\n    schema:\n      file: nowhere.graphql\n",
    )
    .expect("write");
    let error = format!(
        "{:#}",
        load_subgraphs(&missing).await.expect_err("missing file")
    );
    assert!(
        error.contains("nowhere.graphql") && error.contains("\"a\""),
        "{error}"
    );

    assert!(
        SupergraphConfig::from_yaml(
            "subgraphs:\n  a:\n    routing_url: http://a\n    schema: {}\n"
        )
        .is_err()
    );
    assert!(SupergraphConfig::from_yaml("subgraphz: {}\n").is_err());
    let inline = SupergraphConfig::from_yaml("subgraphs:\n  a:\n    routing_url: http://a\n    schema:\n      sdl: \"type Query { a: Int }\"\n")
        .expect("inline sdl");
    assert!(matches!(
        inline.subgraphs["a"].schema,
        SchemaSource::Sdl { .. }
    ));
}

#[derive(SimpleObject)]
#[graphql(complex)]
struct Product {
    id: ID,
    name: String,
}

#[async_graphql::ComplexObject]
impl Product {
    async fn slug(&self) -> String {
        self.name.to_lowercase()
    }
}

struct Query;

#[Object]
impl Query {
    async fn product(&self, id: ID) -> Product {
        Product {
            id,
            name: "Lamp".to_owned(),
        }
    }

    #[graphql(entity)]
    async fn product_by_id(&self, id: ID) -> Product {
        Product {
            id,
            name: "Lamp".to_owned(),
        }
    }
}

/// Serves an async-graphql federation schema over HTTP on a free port.
async fn serve_subgraph() -> String {
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish();
    let app = axum::Router::new().route(
        "/graphql",
        axum::routing::post_service(async_graphql_axum::GraphQL::new(schema)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/graphql")
}

#[tokio::test]
async fn subgraph_urls_are_introspected_through_service_sdl() {
    let url = serve_subgraph().await;
    let dir = temp_dir("introspect");
    let config = dir.join("supergraph.yaml");
    std::fs::write(
        &config,
        format!("subgraphs:\n  products:\n    routing_url: {url}\n    schema:\n      subgraph_url: {url}\n      introspection_headers:\n        x-test: yes\n"),
    )
    .expect("write");
    let sdl = compose_from_config(&config)
        .await
        .expect("composes the introspected SDL");
    assert!(
        sdl.contains(&format!(
            "PRODUCTS @join__graph(name: \"products\", url: \"{url}\")"
        )),
        "{sdl}"
    );
    assert!(
        sdl.contains("@join__type(graph: PRODUCTS, key: \"id\")"),
        "{sdl}"
    );
    assert!(sdl.contains("slug: String!"), "{sdl}");
}

#[tokio::test]
async fn an_unreachable_subgraph_url_is_an_error() {
    // Bind and drop a listener so the port is (very likely) closed.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let dir = temp_dir("unreachable");
    let config = dir.join("supergraph.yaml");
    let url = format!("http://127.0.0.1:{port}/graphql");
    std::fs::write(
        &config,
        format!(
            "subgraphs:\n  a:\n    routing_url: {url}\n    schema:\n      subgraph_url: {url}\n"
        ),
    )
    .expect("write");
    let error = format!(
        "{:#}",
        compose_from_config(&config).await.expect_err("unreachable")
    );
    assert!(error.contains("introspecting subgraph \"a\""), "{error}");
}

#[tokio::test]
async fn write_supergraph_writes_only_when_the_composition_changed() {
    let dir = temp_dir("write");
    let config = dir.join("supergraph.yaml");
    let accounts = fixtures_root().join("entities/accounts.graphql");
    std::fs::write(
        &config,
        format!("subgraphs:\n  accounts:\n    routing_url: http://accounts\n    schema:\n      file: {}\n", accounts.display()),
    )
    .expect("write config");
    let out = dir.join("supergraph.graphql");
    let _ = std::fs::remove_file(&out);
    assert!(
        router::compose::write_supergraph(&config, &out)
            .await
            .expect("first write")
    );
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(
        written.contains("ACCOUNTS @join__graph(name: \"accounts\", url: \"http://accounts\")")
    );
    assert!(
        !router::compose::write_supergraph(&config, &out)
            .await
            .expect("unchanged")
    );
    std::fs::write(&out, "stale").expect("make stale");
    assert!(
        router::compose::write_supergraph(&config, &out)
            .await
            .expect("rewrite")
    );
    assert_eq!(std::fs::read_to_string(&out).expect("rewritten"), written);
}
