//! Limits: body size, depth, aliases, root fields, introspection.

use router::RouterConfig;
use serde_json::json;

use super::{code, limited_router, router};

#[tokio::test]
async fn oversized_bodies_get_413() {
    let mut config = RouterConfig::default();
    config.limits.max_body_bytes = 1024;
    let (_s, router) = limited_router(config).await;
    let padding = "x".repeat(4096);
    let (status, body) = router
        .query(&format!("{{ users {{ id }} }} # {padding}"), json!({}))
        .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn depth_alias_and_root_field_limits_reject_operations() {
    let mut config = RouterConfig::default();
    config.limits.max_depth = 4;
    config.limits.max_aliases = 3;
    config.limits.max_root_fields = 2;
    let (subgraphs, router) = limited_router(config).await;
    let deep = "{ reviews { author { reviews { author { reviews { id } } } } } }";
    let aliases = "{ users { a: id b: id c: id d: id } }";
    let roots = "{ users { id } reviews { id } topProducts { upc } }";
    for query in [deep, aliases, roots] {
        let (status, body) = router.query(query, json!({})).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(code(&body), "OPERATION_LIMIT_EXCEEDED");
    }
    assert!(subgraphs.accounts.log.all().is_empty());
    let (status, _) = router
        .query("{ reviews { author { name } } }", json!({}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_pathologically_deep_document_is_refused_without_crashing() {
    let (_s, router) = router().await;
    let depth = 10_000;
    let query = format!("{}{}", "{ reviews ".repeat(depth), "}".repeat(depth));
    let (status, body) = router.query(&query, json!({})).await;
    assert_eq!(status, 400, "{body}");
    // The router still serves.
    let (status, _) = router.query("{ users { id } }", json!({})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let config = RouterConfig {
        introspection: false,
        ..Default::default()
    };
    let (_s, router) = limited_router(config).await;
    let (status, body) = router
        .query("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "INTROSPECTION_DISABLED");
    let (status, body) = router.query("{ __typename }", json!({})).await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );
}
