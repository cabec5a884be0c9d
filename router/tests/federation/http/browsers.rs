//! What browsers meet: CORS, cross-site request refusal, the playground.

use router::RouterConfig;

use super::{limited_router, router};
use crate::helpers::read;

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let config = RouterConfig {
        cors_allow_origins: vec!["https://shop.example".into()],
        ..Default::default()
    };
    let (_s, router) = limited_router(config).await;
    let preflight = |origin: &'static str| {
        router
            .client
            .request(reqwest::Method::OPTIONS, router.graphql_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization",
            )
            .send()
    };
    let allowed = preflight("https://shop.example").await.expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let refused = preflight("https://evil.example").await.expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn cross_site_simple_requests_are_refused() {
    let (subgraphs, router) = router().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded; charset=utf-8",
    ] {
        let response = router
            .client
            .post(router.graphql_url())
            .header("content-type", content_type)
            .body(r#"{"query": "mutation { updateName(id: \"u1\", name: \"pwned\") { name } }"}"#)
            .send()
            .await
            .expect("answer");
        let (status, body) = read(response).await;
        assert_eq!(status, 415, "{body}");
    }
    assert!(subgraphs.accounts.log.all().is_empty());
}

#[tokio::test]
async fn the_playground_is_served_from_built_in_assets() {
    let (_s, router) = router().await;
    let page = router
        .client
        .get(format!("{}/", router.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    let scripts: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(scripts.len(), 4, "{html}");
    // Every asset the page names comes from the router itself.
    for path in scripts.into_iter().chain(["/playground/graphiql.min.css"]) {
        assert!(path.starts_with("/playground/"), "{path}");
        let asset = router
            .client
            .get(format!("{}{path}", router.base))
            .send()
            .await
            .expect("asset");
        assert_eq!(asset.status().as_u16(), 200, "{path}");
        assert!(asset.bytes().await.expect("bytes").len() > 100, "{path}");
    }
    let missing = router
        .client
        .get(format!("{}/playground/nope.js", router.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(missing.status().as_u16(), 404);
}
